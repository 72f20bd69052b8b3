import type { VectorStoreFile } from '../../../../shared/openai-types';
import type {
  FileCountsAndUsage,
  FileOutcome,
  VectorStoreFileFilter,
  VectorStoreFileTable,
  WaitingFile,
} from '../../assistants-store';
import type { PageRequest, PageResult } from '../../cursor-page';
import type { SqlQueryable } from '../sql-client';
import { vectorStoreFileRow } from '../../vector-store-file-store';
import { seekPage } from './seek-page';

const COUNTS = `SELECT
    count(*) AS total,
    count(*) FILTER (WHERE status = 'in_progress') AS in_progress,
    count(*) FILTER (WHERE status = 'completed') AS completed,
    count(*) FILTER (WHERE status = 'failed') AS failed,
    count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
    coalesce(sum(usage_bytes) FILTER (WHERE status = 'completed'), 0)::bigint AS usage_bytes
  FROM vector_store_files`;

/**
 * `VectorStoreFileTable` on PostgreSQL (migration 3's `vector_store_files`). A file attached again takes a new
 * `seq` and `created_at` (a new place in the list), as SQLite's `INSERT OR REPLACE` gives it.
 */
export class PostgresVectorStoreFileTable implements VectorStoreFileTable {
  constructor(private readonly db: SqlQueryable) {}

  async put(file: VectorStoreFile, batchId: string | null): Promise<string | null> {
    // `replaced` reads the row as it was before this statement (a CTE sees the statement's snapshot).
    const { rows } = await this.db.query<{ replaced_batch_id: string | null }>(
      `WITH replaced AS (SELECT batch_id FROM vector_store_files WHERE vector_store_id = $2 AND id = $1)
       INSERT INTO vector_store_files (id, vector_store_id, batch_id, status, usage_bytes, created_at, body)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
       ON CONFLICT (vector_store_id, id) DO UPDATE SET seq = DEFAULT, batch_id = EXCLUDED.batch_id,
         status = EXCLUDED.status, usage_bytes = EXCLUDED.usage_bytes, created_at = EXCLUDED.created_at,
         body = EXCLUDED.body
       RETURNING (SELECT batch_id FROM replaced) AS replaced_batch_id`,
      vectorStoreFileRow(file, batchId),
    );
    return rows[0]?.replaced_batch_id ?? null;
  }

  async setAttributes(
    vectorStoreId: string,
    fileId: string,
    attributes: VectorStoreFile['attributes'],
  ): Promise<VectorStoreFile | null> {
    const { rows } = await this.db.query<{ body: VectorStoreFile }>(
      `UPDATE vector_store_files SET body = jsonb_set(body, '{attributes}', $3::jsonb)
       WHERE vector_store_id = $1 AND id = $2 RETURNING body`,
      [vectorStoreId, fileId, JSON.stringify(attributes)],
    );
    return rows[0]?.body ?? null;
  }

  async finish(waiting: WaitingFile, outcome: FileOutcome): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE vector_store_files SET status = $4, usage_bytes = $5,
         body = body || jsonb_build_object('status', $4::text, 'last_error', $6::jsonb, 'usage_bytes', $5::bigint)
       WHERE vector_store_id = $1 AND id = $2 AND seq = $3 AND status = 'in_progress'`,
      [
        waiting.file.vector_store_id,
        waiting.file.id,
        waiting.seq,
        outcome.status,
        outcome.usage_bytes,
        JSON.stringify(outcome.last_error),
      ],
    );
    return rowCount > 0;
  }

  async delete(vectorStoreId: string, fileId: string): Promise<{ batchId: string | null } | false> {
    const { rows } = await this.db.query<{ batch_id: string | null }>(
      'DELETE FROM vector_store_files WHERE vector_store_id = $1 AND id = $2 RETURNING batch_id',
      [vectorStoreId, fileId],
    );
    return rows[0] ? { batchId: rows[0].batch_id } : false;
  }

  async getWaiting(vectorStoreId: string, fileId: string): Promise<WaitingFile | null> {
    const { rows } = await this.db.query<{ body: VectorStoreFile; batch_id: string | null; seq: string }>(
      `SELECT body, batch_id, seq FROM vector_store_files
       WHERE vector_store_id = $1 AND id = $2 AND status = 'in_progress'`,
      [vectorStoreId, fileId],
    );
    const row = rows[0];
    return row ? { file: row.body, batchId: row.batch_id, seq: Number(row.seq) } : null;
  }

  async get(vectorStoreId: string, fileId: string): Promise<VectorStoreFile | null> {
    const { rows } = await this.db.query<{ body: VectorStoreFile }>(
      'SELECT body FROM vector_store_files WHERE vector_store_id = $1 AND id = $2',
      [vectorStoreId, fileId],
    );
    return rows[0]?.body ?? null;
  }

  page(vectorStoreId: string, filter: VectorStoreFileFilter, request: PageRequest): Promise<PageResult> {
    return seekPage(
      this.db,
      'vector_store_files',
      {
        vector_store_id: vectorStoreId,
        ...(filter.batchId !== undefined && { batch_id: filter.batchId }),
        ...(filter.status !== undefined && { status: filter.status }),
      },
      request,
    );
  }

  async counts(vectorStoreId: string, batchId?: string): Promise<FileCountsAndUsage> {
    const { rows } = await this.db.query<FileCountsAndUsage>(
      batchId === undefined ? `${COUNTS} WHERE vector_store_id = $1` : `${COUNTS} WHERE batch_id = $1`,
      [batchId ?? vectorStoreId],
    );
    return rows[0]!;
  }

  async waiting(
    limit: number,
  ): Promise<Array<{ vectorStoreId: string; fileId: string; batchId: string | null }>> {
    const { rows } = await this.db.query<{ vector_store_id: string; id: string; batch_id: string | null }>(
      "SELECT vector_store_id, id, batch_id FROM vector_store_files WHERE status = 'in_progress' ORDER BY seq LIMIT $1",
      [limit],
    );
    return rows.map((row) => ({ vectorStoreId: row.vector_store_id, fileId: row.id, batchId: row.batch_id }));
  }

  async cancelWaitingInBatch(batchId: string): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `UPDATE vector_store_files SET status = 'cancelled', body = jsonb_set(body, '{status}', '"cancelled"')
       WHERE batch_id = $1 AND status = 'in_progress' RETURNING id`,
      [batchId],
    );
    return rows.map((row) => row.id);
  }

  async storesHolding(fileId: string): Promise<string[]> {
    const { rows } = await this.db.query<{ vector_store_id: string }>(
      'SELECT vector_store_id FROM vector_store_files WHERE id = $1 ORDER BY seq',
      [fileId],
    );
    return rows.map((row) => row.vector_store_id);
  }
}
