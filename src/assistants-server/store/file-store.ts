import type { OpenAIFile } from '../../shared/openai-types';
import { CursorPager, type PageRequest, type PageResult } from './cursor-page';
import type { Db } from './database';

/** Uploaded files' records (their bytes are kept by `files/file-bytes.ts`); publishes no lifecycle events. */
export class FileStore {
  private readonly pager: CursorPager;
  private readonly insertStatement;
  private readonly deleteStatement;
  private readonly getStatement;

  constructor(db: Db) {
    this.pager = new CursorPager(db, 'files');
    this.insertStatement = db.prepare(
      'INSERT INTO files (id, purpose, created_at, body) VALUES (?, ?, ?, ?)',
    );
    this.deleteStatement = db.prepare('DELETE FROM files WHERE id = ?');
    this.getStatement = db.prepare('SELECT body FROM files WHERE id = ?');
  }

  insert(file: OpenAIFile): void {
    this.insertStatement.run(file.id, file.purpose, file.created_at, JSON.stringify(file));
  }

  delete(id: string): boolean {
    return this.deleteStatement.run(id).changes > 0;
  }

  get(id: string): OpenAIFile | null {
    const row = this.getStatement.get(id) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as OpenAIFile) : null;
  }

  /** SQLite's transactions are serialized: no other can delete the file until the calling one ends. */
  getForShare(id: string): OpenAIFile | null {
    return this.get(id);
  }

  page(purpose: string | undefined, request: PageRequest): PageResult {
    return this.pager.page(purpose === undefined ? {} : { purpose }, request);
  }
}
