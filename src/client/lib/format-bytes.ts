const UNITS = ['KB', 'MB', 'GB', 'TB'] as const;

/**
 * A size as a person reads it, in powers of 1,000 as OpenAI's dashboard and the bundle figures count: "812 bytes",
 * "1 byte", "4.2 KB", "12 MB", "1.5 GB". One decimal below 10 of a unit, none above.
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = value < 10 ? value.toFixed(1).replace(/\.0$/, '') : Math.round(value).toString();
  return `${digits} ${UNITS[unit]}`;
}
