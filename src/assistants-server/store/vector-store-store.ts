import type { VectorStore, VectorStoreFileBatch } from '../../shared/openai-types';
import { CursorPager, type PageRequest, type PageResult } from './cursor-page';
import type { Db } from './database';

/** Vector stores' records; deleting one removes its files' and batches' rows too (its chunks are the index's). */
export class VectorStoreStore {
  private readonly pager: CursorPager;
  private readonly insertStatement;
  private readonly updateStatement;
  private readonly getStatement;
  private readonly deleteWhole;

  constructor(db: Db) {
    this.pager = new CursorPager(db, 'vector_stores');
    this.insertStatement = db.prepare('INSERT INTO vector_stores (id, created_at, body) VALUES (?, ?, ?)');
    this.updateStatement = db.prepare('UPDATE vector_stores SET body = ? WHERE id = ?');
    this.getStatement = db.prepare('SELECT body FROM vector_stores WHERE id = ?');
    const deleteStore = db.prepare('DELETE FROM vector_stores WHERE id = ?');
    const deleteFiles = db.prepare('DELETE FROM vector_store_files WHERE vector_store_id = ?');
    const deleteBatches = db.prepare('DELETE FROM vector_store_file_batches WHERE vector_store_id = ?');
    this.deleteWhole = db.transaction((id: string) => {
      deleteFiles.run(id);
      deleteBatches.run(id);
      return deleteStore.run(id).changes > 0;
    });
  }

  insert(vectorStore: VectorStore): void {
    this.insertStatement.run(vectorStore.id, vectorStore.created_at, JSON.stringify(vectorStore));
  }

  update(vectorStore: VectorStore): void {
    this.updateStatement.run(JSON.stringify(vectorStore), vectorStore.id);
  }

  delete(id: string): boolean {
    return this.deleteWhole(id);
  }

  get(id: string): VectorStore | null {
    const row = this.getStatement.get(id) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as VectorStore) : null;
  }

  /** SQLite's transactions are serialized: the row is the transaction's until it ends. */
  getForUpdate(id: string): VectorStore | null {
    return this.get(id);
  }

  page(request: PageRequest): PageResult {
    return this.pager.page({}, request);
  }
}

/** File batches' records (their files are `vector_store_files` rows carrying the batch's id). */
export class FileBatchStore {
  private readonly insertStatement;
  private readonly updateStatement;
  private readonly getStatement;

  constructor(db: Db) {
    this.insertStatement = db.prepare(
      'INSERT INTO vector_store_file_batches (id, vector_store_id, created_at, body) VALUES (?, ?, ?, ?)',
    );
    this.updateStatement = db.prepare('UPDATE vector_store_file_batches SET body = ? WHERE id = ?');
    this.getStatement = db.prepare('SELECT body FROM vector_store_file_batches WHERE id = ?');
  }

  insert(batch: VectorStoreFileBatch): void {
    this.insertStatement.run(batch.id, batch.vector_store_id, batch.created_at, JSON.stringify(batch));
  }

  update(batch: VectorStoreFileBatch): void {
    this.updateStatement.run(JSON.stringify(batch), batch.id);
  }

  get(id: string): VectorStoreFileBatch | null {
    const row = this.getStatement.get(id) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as VectorStoreFileBatch) : null;
  }

  /** SQLite's transactions are serialized: the row is the transaction's until it ends. */
  getForUpdate(id: string): VectorStoreFileBatch | null {
    return this.get(id);
  }
}
