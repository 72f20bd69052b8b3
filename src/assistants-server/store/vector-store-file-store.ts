import type { VectorStoreFile } from '../../shared/openai-types';
import type { FileCountsAndUsage, FileOutcome, VectorStoreFileFilter, WaitingFile } from './assistants-store';
import { CursorPager, type PageRequest, type PageResult } from './cursor-page';
import type { Db } from './database';

/**
 * A vector store file's row, in the column order both stores insert it:
 * (id, vector_store_id, batch_id, status, usage_bytes, created_at, body).
 */
export function vectorStoreFileRow(file: VectorStoreFile, batchId: string | null): unknown[] {
  return [
    file.id,
    file.vector_store_id,
    batchId,
    file.status,
    file.usage_bytes,
    file.created_at,
    JSON.stringify(file),
  ];
}

/** The files of vector stores, one row per (store, file); `in_progress` rows are the processing queue. */
export class VectorStoreFileStore {
  private readonly pager: CursorPager;
  private readonly putStatement;
  private readonly batchOfStatement;
  private readonly attributesStatement;
  private readonly finishStatement;
  private readonly deleteStatement;
  private readonly getStatement;
  private readonly waitingOneStatement;
  private readonly countsOfStore;
  private readonly countsOfBatch;
  private readonly waitingStatement;
  private readonly cancelStatement;
  private readonly storesHoldingStatement;

  constructor(db: Db) {
    this.pager = new CursorPager(db, 'vector_store_files');
    // Attached again: a new row (a new place in the list, a new created_at), processed again.
    this.putStatement = db.prepare(
      `INSERT OR REPLACE INTO vector_store_files
         (id, vector_store_id, batch_id, status, usage_bytes, created_at, body) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.batchOfStatement = db.prepare(
      'SELECT batch_id FROM vector_store_files WHERE vector_store_id = ? AND id = ?',
    );
    this.attributesStatement = db.prepare(
      `UPDATE vector_store_files SET body = json_set(body, '$.attributes', json(?))
       WHERE vector_store_id = ? AND id = ? RETURNING body`,
    );
    this.finishStatement = db.prepare(
      `UPDATE vector_store_files SET status = ?, usage_bytes = ?,
         body = json_set(body, '$.status', ?, '$.last_error', json(?), '$.usage_bytes', ?)
       WHERE vector_store_id = ? AND id = ? AND seq = ? AND status = 'in_progress'`,
    );
    this.deleteStatement = db.prepare(
      'DELETE FROM vector_store_files WHERE vector_store_id = ? AND id = ? RETURNING batch_id',
    );
    this.getStatement = db.prepare(
      'SELECT body FROM vector_store_files WHERE vector_store_id = ? AND id = ?',
    );
    this.waitingOneStatement = db.prepare(
      `SELECT body, batch_id, seq FROM vector_store_files
       WHERE vector_store_id = ? AND id = ? AND status = 'in_progress'`,
    );
    const counts = `SELECT
        count(*) AS total,
        coalesce(sum(status = 'in_progress'), 0) AS in_progress,
        coalesce(sum(status = 'completed'), 0) AS completed,
        coalesce(sum(status = 'failed'), 0) AS failed,
        coalesce(sum(status = 'cancelled'), 0) AS cancelled,
        coalesce(sum(CASE WHEN status = 'completed' THEN usage_bytes ELSE 0 END), 0) AS usage_bytes
      FROM vector_store_files`;
    this.countsOfStore = db.prepare(`${counts} WHERE vector_store_id = ?`);
    this.countsOfBatch = db.prepare(`${counts} WHERE batch_id = ?`);
    this.waitingStatement = db.prepare(
      "SELECT vector_store_id, id, batch_id FROM vector_store_files WHERE status = 'in_progress' ORDER BY seq LIMIT ?",
    );
    this.cancelStatement = db.prepare(
      `UPDATE vector_store_files SET status = 'cancelled', body = json_set(body, '$.status', 'cancelled')
       WHERE batch_id = ? AND status = 'in_progress' RETURNING id`,
    );
    this.storesHoldingStatement = db.prepare(
      'SELECT vector_store_id FROM vector_store_files WHERE id = ? ORDER BY seq',
    );
  }

  /** Two statements run back to back (synchronous: nothing comes between them). */
  put(file: VectorStoreFile, batchId: string | null): string | null {
    const replaced = this.batchOfStatement.get(file.vector_store_id, file.id) as
      { batch_id: string | null } | undefined;
    this.putStatement.run(...vectorStoreFileRow(file, batchId));
    return replaced?.batch_id ?? null;
  }

  setAttributes(
    vectorStoreId: string,
    fileId: string,
    attributes: VectorStoreFile['attributes'],
  ): VectorStoreFile | null {
    const row = this.attributesStatement.get(JSON.stringify(attributes), vectorStoreId, fileId) as
      { body: string } | undefined;
    return row ? (JSON.parse(row.body) as VectorStoreFile) : null;
  }

  finish(waiting: WaitingFile, outcome: FileOutcome): boolean {
    const { file, seq } = waiting;
    return (
      this.finishStatement.run(
        outcome.status,
        outcome.usage_bytes,
        outcome.status,
        JSON.stringify(outcome.last_error),
        outcome.usage_bytes,
        file.vector_store_id,
        file.id,
        seq,
      ).changes > 0
    );
  }

  delete(vectorStoreId: string, fileId: string): { batchId: string | null } | false {
    const row = this.deleteStatement.get(vectorStoreId, fileId) as { batch_id: string | null } | undefined;
    return row ? { batchId: row.batch_id } : false;
  }

  getWaiting(vectorStoreId: string, fileId: string): WaitingFile | null {
    const row = this.waitingOneStatement.get(vectorStoreId, fileId) as
      { body: string; batch_id: string | null; seq: number } | undefined;
    return row
      ? { file: JSON.parse(row.body) as VectorStoreFile, batchId: row.batch_id, seq: row.seq }
      : null;
  }

  get(vectorStoreId: string, fileId: string): VectorStoreFile | null {
    const row = this.getStatement.get(vectorStoreId, fileId) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as VectorStoreFile) : null;
  }

  page(vectorStoreId: string, filter: VectorStoreFileFilter, request: PageRequest): PageResult {
    return this.pager.page(
      {
        vector_store_id: vectorStoreId,
        ...(filter.batchId !== undefined && { batch_id: filter.batchId }),
        ...(filter.status !== undefined && { status: filter.status }),
      },
      request,
    );
  }

  counts(vectorStoreId: string, batchId?: string): FileCountsAndUsage {
    return (
      batchId === undefined ? this.countsOfStore.get(vectorStoreId) : this.countsOfBatch.get(batchId)
    ) as FileCountsAndUsage;
  }

  waiting(limit: number): Array<{ vectorStoreId: string; fileId: string; batchId: string | null }> {
    const rows = this.waitingStatement.all(limit) as Array<{
      vector_store_id: string;
      id: string;
      batch_id: string | null;
    }>;
    return rows.map((row) => ({ vectorStoreId: row.vector_store_id, fileId: row.id, batchId: row.batch_id }));
  }

  cancelWaitingInBatch(batchId: string): string[] {
    return (this.cancelStatement.all(batchId) as Array<{ id: string }>).map((row) => row.id);
  }

  storesHolding(fileId: string): string[] {
    const rows = this.storesHoldingStatement.all(fileId) as Array<{ vector_store_id: string }>;
    return rows.map((row) => row.vector_store_id);
  }
}
