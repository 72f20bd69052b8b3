import type { RunSortField } from '../../shared/runs-query-types';

/** Where a page ended: the last row's sort value and its `ord` tiebreaker, under the sort it was taken in. */
export interface RunCursor {
  field: RunSortField;
  desc: boolean;
  value: number | string;
  ord: number;
}

/** Opaque to clients: base64url of a small JSON array. */
export function encodeRunCursor(cursor: RunCursor): string {
  return Buffer.from(JSON.stringify([cursor.field, cursor.desc ? 1 : 0, cursor.value, cursor.ord])).toString(
    'base64url',
  );
}

/** The cursor, or null when the text is not one of ours. */
export function decodeRunCursor(text: string): RunCursor | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 4) return null;
    const [field, desc, value, ord] = parsed as unknown[];
    if (typeof field !== 'string' || (desc !== 0 && desc !== 1)) return null;
    if (typeof value !== 'number' && typeof value !== 'string') return null;
    if (typeof ord !== 'number' || !Number.isInteger(ord)) return null;
    return { field: field as RunSortField, desc: desc === 1, value, ord };
  } catch {
    return null;
  }
}

/** Thread summaries page by (last activity, id). */
export function encodeThreadCursor(lastActivityAt: number, id: string): string {
  return Buffer.from(JSON.stringify([lastActivityAt, id])).toString('base64url');
}

export function decodeThreadCursor(text: string): { lastActivityAt: number; id: string } | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 2) return null;
    const [lastActivityAt, id] = parsed as unknown[];
    // Only what `encodeThreadCursor` writes: a time in whole seconds and an id without U+0000 (which neither engine
    // seeks the same, and PostgreSQL cannot take), so both engines refuse the same hand-made cursors.
    if (!Number.isSafeInteger(lastActivityAt) || typeof id !== 'string' || id.includes('\u0000')) return null;
    return { lastActivityAt: lastActivityAt as number, id };
  } catch {
    return null;
  }
}
