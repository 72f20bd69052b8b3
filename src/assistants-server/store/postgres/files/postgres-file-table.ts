import type { OpenAIFile } from '../../../../shared/openai-types';
import type { FileTable } from '../../assistants-store';
import type { PageRequest, PageResult } from '../../cursor-page';
import { storableJson } from '../copy/storable-text';
import type { SqlQueryable } from '../sql-client';

/**
 * Uploaded files' records on PostgreSQL (migration 2's `files`), tied to their bytes when those are in the database
 * too (`PostgresFileBytes`): the insert marks the content kept, the delete removes it, each in the one statement.
 */
export class PostgresFileTable implements FileTable {
  constructor(private readonly db: SqlQueryable) {}

  async insert(file: OpenAIFile): Promise<void> {
    // jsonb cannot hold U+0000 (a filename could carry one): stored as U+FFFD, as db:copy does.
    const body = storableJson(JSON.stringify(file))!.value;
    await this.db.query(
      `WITH kept AS (UPDATE file_contents SET kept = true WHERE file_id = $1)
       INSERT INTO files (id, purpose, created_at, body) VALUES ($1, $2, $3, $4::jsonb)`,
      [file.id, file.purpose, file.created_at, body],
    );
  }

  async delete(id: string): Promise<boolean> {
    const { rows } = await this.db.query<{ deleted: number }>(
      `WITH gone AS (DELETE FROM files WHERE id = $1 RETURNING id),
            content AS (DELETE FROM file_contents WHERE file_id IN (SELECT id FROM gone))
       SELECT count(*)::int AS deleted FROM gone`,
      [id],
    );
    return rows[0]!.deleted > 0;
  }

  async get(id: string): Promise<OpenAIFile | null> {
    const { rows } = await this.db.query<{ body: OpenAIFile }>('SELECT body FROM files WHERE id = $1', [id]);
    return rows[0]?.body ?? null;
  }

  async getForShare(id: string): Promise<OpenAIFile | null> {
    const { rows } = await this.db.query<{ body: OpenAIFile }>(
      'SELECT body FROM files WHERE id = $1 FOR SHARE',
      [id],
    );
    return rows[0]?.body ?? null;
  }

  /** Keyset paging on (created_at, seq), as SQLite's `CursorPager`: one index range whatever the page's depth. */
  async page(purpose: string | undefined, request: PageRequest): Promise<PageResult> {
    const params: unknown[] = [];
    const filter = purpose === undefined ? 'true' : `purpose = $${params.push(purpose)}`;
    const positionOf = async (id: string) => {
      const { rows } = await this.db.query<{ created_at: number; seq: number }>(
        `SELECT created_at, seq FROM files WHERE id = $${params.length + 1} AND ${filter}`,
        [...params, id],
      );
      return rows[0];
    };
    const after = request.after ? await positionOf(request.after) : undefined;
    if (request.after && !after) return { unknownCursor: 'after' };
    const before = request.before ? await positionOf(request.before) : undefined;
    if (request.before && !before) return { unknownCursor: 'before' };

    const conditions = [filter];
    const older = request.order === 'asc' ? '<' : '>';
    const newer = request.order === 'asc' ? '>' : '<';
    if (after)
      conditions.push(
        `(created_at, seq) ${newer} ($${params.push(after.created_at)}, $${params.push(after.seq)})`,
      );
    if (before)
      conditions.push(
        `(created_at, seq) ${older} ($${params.push(before.created_at)}, $${params.push(before.seq)})`,
      );
    const walkBackwards = Boolean(before) && !after;
    const direction = (request.order === 'asc') !== walkBackwards ? 'ASC' : 'DESC';
    const { rows: found } = await this.db.query<{ id: string; body: string }>(
      `SELECT id, body::text AS body FROM files WHERE ${conditions.join(' AND ')}
       ORDER BY created_at ${direction}, seq ${direction} LIMIT $${params.push(request.limit + 1)}`,
      params,
    );
    const hasMore = found.length > request.limit;
    const rows = found.slice(0, request.limit);
    if (walkBackwards) rows.reverse();
    return { rows, hasMore };
  }
}
