import type { PageRequest, PageResult } from '../../cursor-page';
import type { SqlQueryable } from '../sql-client';

/**
 * A page of a table by seek on (created_at, seq), as SQLite's `CursorPager`: `filters` are column = value, a cursor
 * is an id of the same filtered list (an unknown one answers `unknownCursor`), `before` walks the other way and
 * answers in the requested order. Table and column names are this folder's own, never a caller's input.
 */
export async function seekPage(
  db: SqlQueryable,
  table: 'vector_stores' | 'vector_store_files',
  filters: Record<string, string>,
  request: PageRequest,
): Promise<PageResult> {
  const columns = Object.keys(filters);
  const params: unknown[] = Object.values(filters);
  const conditions = columns.map((column, index) => `${column} = $${index + 1}`);
  const position = async (id: string) => {
    const where = [...conditions, `id = $${params.length + 1}`].join(' AND ');
    const { rows } = await db.query<{ created_at: number; seq: number }>(
      `SELECT created_at, seq FROM ${table} WHERE ${where}`,
      [...params, id],
    );
    return rows[0];
  };
  const after = request.after ? await position(request.after) : undefined;
  if (request.after && !after) return { unknownCursor: 'after' };
  const before = request.before ? await position(request.before) : undefined;
  if (request.before && !before) return { unknownCursor: 'before' };

  const walkBackwards = Boolean(before) && !after;
  const ascending = (request.order === 'asc') !== walkBackwards;
  const seek = (at: { created_at: number; seq: number }, comparison: '<' | '>') => {
    params.push(at.created_at, at.seq);
    conditions.push(`(created_at, seq) ${comparison} ($${params.length - 1}, $${params.length})`);
  };
  if (after) seek(after, request.order === 'asc' ? '>' : '<');
  if (before) seek(before, request.order === 'asc' ? '<' : '>');
  const direction = ascending ? 'ASC' : 'DESC';
  params.push(request.limit + 1);
  const { rows } = await db.query<{ id: string; body: string }>(
    `SELECT id, body::text AS body FROM ${table}` +
      (conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '') +
      ` ORDER BY created_at ${direction}, seq ${direction} LIMIT $${params.length}`,
    params,
  );
  const hasMore = rows.length > request.limit;
  const page = rows.slice(0, request.limit);
  if (walkBackwards) page.reverse();
  return { rows: page, hasMore };
}
