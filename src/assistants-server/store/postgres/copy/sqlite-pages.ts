import type Database from 'better-sqlite3';
import type { CopiedTable } from './copied-tables';

export type Row = Record<string, unknown>;

/**
 * The table's rows in key order, `size` at a time: one page in memory, read by keyset (no statement held open).
 * Reads the table's columns but the derived ones (`columns` picks fewer).
 */
export function* sqlitePages(
  db: Database.Database,
  table: CopiedTable,
  size: number,
  columns: readonly string[] = table.columns.filter((column) => !table.derived?.[column]),
): Generator<Row[]> {
  const hasTable = (name: string) =>
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
  const selected = columns
    .map((column) => {
      const read = table.read?.[column];
      return read && hasTable(read.needs) ? `${read.sql} AS ${column}` : column;
    })
    .join(', ');
  const key = table.key.join(', ');
  const first = db.prepare(`SELECT ${selected} FROM ${table.name} ORDER BY ${key} LIMIT ?`);
  const next = db.prepare(
    `SELECT ${selected} FROM ${table.name} WHERE (${key}) > (${table.key.map(() => '?').join(', ')})
     ORDER BY ${key} LIMIT ?`,
  );
  let page = first.all(size) as Row[];
  while (page.length > 0) {
    yield page;
    if (page.length < size) return;
    const last = page.at(-1)!;
    page = next.all(...table.key.map((column) => last[column]), size) as Row[];
  }
}
