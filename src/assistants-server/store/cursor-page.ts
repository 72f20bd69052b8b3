import type Database from 'better-sqlite3';
import type { Db } from './database';

export interface PageRequest {
  limit: number;
  order: 'asc' | 'desc';
  after?: string;
  before?: string;
}

/** Each listed object's id and its stored wire JSON, in the requested order. */
export type PageResult =
  { rows: Array<{ id: string; body: string }>; hasMore: boolean } | { unknownCursor: 'after' | 'before' };

type ListedTable =
  | 'assistants'
  | 'threads'
  | 'messages'
  | 'runs'
  | 'run_steps'
  | 'files'
  | 'vector_stores'
  | 'vector_store_files';

/**
 * Cursor paging by seek on (created_at, seq), never OFFSET: each page costs one index range scan whatever its depth.
 * `before` pages walk the index the other way and are returned in the requested order, as OpenAI does.
 */
export class CursorPager {
  private readonly statements = new Map<string, Database.Statement<unknown[]>>();

  constructor(
    private readonly db: Db,
    private readonly table: ListedTable,
  ) {}

  page(filters: Record<string, string>, request: PageRequest): PageResult {
    const filterColumns = Object.keys(filters);
    const filterValues = Object.values(filters);
    const after = request.after ? this.position(filterColumns, filterValues, request.after) : null;
    if (request.after && !after) return { unknownCursor: 'after' };
    const before = request.before ? this.position(filterColumns, filterValues, request.before) : null;
    if (request.before && !before) return { unknownCursor: 'before' };

    const walkBackwards = Boolean(before) && !after;
    const ascending = (request.order === 'asc') !== walkBackwards;
    const conditions = filterColumns.map((column) => `${column} = ?`);
    const params: unknown[] = [...filterValues];
    if (after) {
      conditions.push(`(created_at, seq) ${request.order === 'asc' ? '>' : '<'} (?, ?)`);
      params.push(after.created_at, after.seq);
    }
    if (before) {
      conditions.push(`(created_at, seq) ${request.order === 'asc' ? '<' : '>'} (?, ?)`);
      params.push(before.created_at, before.seq);
    }
    const direction = ascending ? 'ASC' : 'DESC';
    const sql =
      `SELECT id, body FROM ${this.table}` +
      (conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '') +
      ` ORDER BY created_at ${direction}, seq ${direction} LIMIT ?`;
    const found = this.statement(sql).all(...params, request.limit + 1) as Array<{
      id: string;
      body: string;
    }>;
    const hasMore = found.length > request.limit;
    const rows = found.slice(0, request.limit);
    if (walkBackwards) rows.reverse();
    return { rows, hasMore };
  }

  private position(
    columns: string[],
    values: string[],
    id: string,
  ): { created_at: number; seq: number } | undefined {
    const where = ['id = ?', ...columns.map((column) => `${column} = ?`)].join(' AND ');
    return this.statement(`SELECT created_at, seq FROM ${this.table} WHERE ${where}`).get(id, ...values) as
      { created_at: number; seq: number } | undefined;
  }

  private statement(sql: string): Database.Statement<unknown[]> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare<unknown[]>(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
