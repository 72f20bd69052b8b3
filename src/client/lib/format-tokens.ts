const grouped = new Intl.NumberFormat('en-US');

/** Exact token count with thousands separators: "12,345". */
export function formatTokens(count: number): string {
  return grouped.format(count);
}

/** Short token count for dense cells: "950", "12.3k", "4.1M". */
export function formatTokensCompact(count: number): string {
  if (count < 1000) return String(count);
  if (count < 1_000_000) return `${trimZero((count / 1000).toFixed(count < 10_000 ? 1 : 0))}k`;
  return `${trimZero((count / 1_000_000).toFixed(1))}M`;
}

function trimZero(text: string): string {
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}
