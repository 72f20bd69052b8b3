import type { Statement } from 'better-sqlite3';

const PAGE_ROWS = 2_000;

/**
 * Every row of `statement` (`SELECT seq, body … WHERE seq > ? ORDER BY seq LIMIT ?`), a page at a time: no statement
 * stays open between pages, so the caller may write on the same connection, and memory holds one page.
 */
export function* pagesOf<T>(statement: Statement, parse: (body: string) => T): Generator<T> {
  let after = 0;
  for (;;) {
    const rows = statement.all(after, PAGE_ROWS) as Array<{ seq: number; body: string }>;
    for (const row of rows) yield parse(row.body);
    if (rows.length < PAGE_ROWS) return;
    after = rows.at(-1)!.seq;
  }
}
