import type { PageRequest, PageResult } from '../../cursor-page';
import type { SqlQueryable } from '../sql-client';

type ListedTable = 'assistants' | 'threads' | 'messages' | 'runs' | 'run_steps' | 'files';

/**
 * Cursor paging by seek on (created_at, seq), as SQLite's `CursorPager` (`../../cursor-page.ts`): the same answers,
 * one index range per page, `before` pages walked the other way and returned in the requested order.
 */
export async function pageOf(
  db: SqlQueryable,
  table: ListedTable,
  filters: Record<string, string>,
  request: PageRequest,
): Promise<PageResult> {
  const filterColumns = Object.keys(filters);
  const filterValues = Object.values(filters);
  const after = request.after ? await position(db, table, filterColumns, filterValues, request.after) : null;
  if (request.after && !after) return { unknownCursor: 'after' };
  const before = request.before
    ? await position(db, table, filterColumns, filterValues, request.before)
    : null;
  if (request.before && !before) return { unknownCursor: 'before' };

  const walkBackwards = Boolean(before) && !after;
  const ascending = (request.order === 'asc') !== walkBackwards;
  const params: unknown[] = [...filterValues];
  const conditions = filterColumns.map((column, index) => `${column} = $${index + 1}`);
  const seek = (at: { created_at: number; seq: number }, operator: string) => {
    params.push(at.created_at, at.seq);
    conditions.push(`(created_at, seq) ${operator} ($${params.length - 1}, $${params.length})`);
  };
  if (after) seek(after, request.order === 'asc' ? '>' : '<');
  if (before) seek(before, request.order === 'asc' ? '<' : '>');
  const direction = ascending ? 'ASC' : 'DESC';
  params.push(request.limit + 1);
  const { rows: found } = await db.query<{ id: string; body: string }>(
    `SELECT id, body::text AS body FROM ${table}` +
      (conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '') +
      ` ORDER BY created_at ${direction}, seq ${direction} LIMIT $${params.length}`,
    params,
  );
  const hasMore = found.length > request.limit;
  const rows = found.slice(0, request.limit);
  if (walkBackwards) rows.reverse();
  return { rows, hasMore };
}

async function position(
  db: SqlQueryable,
  table: ListedTable,
  columns: string[],
  values: string[],
  id: string,
): Promise<{ created_at: number; seq: number } | undefined> {
  const where = ['id = $1', ...columns.map((column, index) => `${column} = $${index + 2}`)].join(' AND ');
  const { rows } = await db.query<{ created_at: number; seq: number }>(
    `SELECT created_at, seq FROM ${table} WHERE ${where}`,
    [id, ...values],
  );
  return rows[0];
}
