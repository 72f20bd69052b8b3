import type { VectorStore, VectorStoreFileBatch } from '../../../../shared/openai-types';
import type { FileBatchTable, VectorStoreTable } from '../../assistants-store';
import type { PageRequest, PageResult } from '../../cursor-page';
import type { SqlQueryable } from '../sql-client';
import { seekPage } from './seek-page';

/** `VectorStoreTable` on PostgreSQL (migration 3's `vector_stores`); `db` is the client or a transaction. */
export class PostgresVectorStoreTable implements VectorStoreTable {
  constructor(private readonly db: SqlQueryable) {}

  async insert(vectorStore: VectorStore): Promise<void> {
    await this.db.query('INSERT INTO vector_stores (id, created_at, body) VALUES ($1, $2, $3::jsonb)', [
      vectorStore.id,
      vectorStore.created_at,
      JSON.stringify(vectorStore),
    ]);
  }

  async update(vectorStore: VectorStore): Promise<void> {
    await this.db.query('UPDATE vector_stores SET body = $2::jsonb WHERE id = $1', [
      vectorStore.id,
      JSON.stringify(vectorStore),
    ]);
  }

  /**
   * The store's row is locked first (waiting for a transaction that put files in it), then one statement deletes the
   * store, its files' rows and its batches: its snapshot, taken after the lock, sees every file put in.
   */
  async delete(id: string): Promise<boolean> {
    await this.getForUpdate(id);
    const { rowCount } = await this.db.query(
      `WITH files AS (DELETE FROM vector_store_files WHERE vector_store_id = $1),
            batches AS (DELETE FROM vector_store_file_batches WHERE vector_store_id = $1)
       DELETE FROM vector_stores WHERE id = $1`,
      [id],
    );
    return rowCount > 0;
  }

  async get(id: string): Promise<VectorStore | null> {
    const { rows } = await this.db.query<{ body: VectorStore }>(
      'SELECT body FROM vector_stores WHERE id = $1',
      [id],
    );
    return rows[0]?.body ?? null;
  }

  async getForUpdate(id: string): Promise<VectorStore | null> {
    const { rows } = await this.db.query<{ body: VectorStore }>(
      'SELECT body FROM vector_stores WHERE id = $1 FOR UPDATE',
      [id],
    );
    return rows[0]?.body ?? null;
  }

  page(request: PageRequest): Promise<PageResult> {
    return seekPage(this.db, 'vector_stores', {}, request);
  }
}

/** `FileBatchTable` on PostgreSQL (migration 3's `vector_store_file_batches`). */
export class PostgresFileBatchTable implements FileBatchTable {
  constructor(private readonly db: SqlQueryable) {}

  async insert(batch: VectorStoreFileBatch): Promise<void> {
    await this.db.query(
      'INSERT INTO vector_store_file_batches (id, vector_store_id, created_at, body) VALUES ($1, $2, $3, $4::jsonb)',
      [batch.id, batch.vector_store_id, batch.created_at, JSON.stringify(batch)],
    );
  }

  async update(batch: VectorStoreFileBatch): Promise<void> {
    await this.db.query('UPDATE vector_store_file_batches SET body = $2::jsonb WHERE id = $1', [
      batch.id,
      JSON.stringify(batch),
    ]);
  }

  async get(id: string): Promise<VectorStoreFileBatch | null> {
    const { rows } = await this.db.query<{ body: VectorStoreFileBatch }>(
      'SELECT body FROM vector_store_file_batches WHERE id = $1',
      [id],
    );
    return rows[0]?.body ?? null;
  }

  async getForUpdate(id: string): Promise<VectorStoreFileBatch | null> {
    const { rows } = await this.db.query<{ body: VectorStoreFileBatch }>(
      'SELECT body FROM vector_store_file_batches WHERE id = $1 FOR UPDATE',
      [id],
    );
    return rows[0]?.body ?? null;
  }
}
