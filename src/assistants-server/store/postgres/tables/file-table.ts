import type { OpenAIFile } from '../../../../shared/openai-types';
import type { FileTable } from '../../assistants-store';
import type { PageRequest, PageResult } from '../../cursor-page';
import { pageOf } from './pg-cursor-page';
import { jsonText, type PgSession } from './pg-session';

/** Uploaded files' records (migration 2); their bytes are kept outside the store. Publishes no lifecycle events. */
export class PgFileTable implements FileTable {
  constructor(private readonly session: PgSession) {}

  async insert(file: OpenAIFile): Promise<void> {
    await this.session.db.query(
      'INSERT INTO files (id, purpose, created_at, body) VALUES ($1, $2, $3, $4::jsonb)',
      [file.id, file.purpose, file.created_at, jsonText(file)],
    );
  }

  async delete(id: string): Promise<boolean> {
    return (await this.session.db.query('DELETE FROM files WHERE id = $1', [id])).rowCount > 0;
  }

  async get(id: string): Promise<OpenAIFile | null> {
    const { rows } = await this.session.db.query<{ body: string }>(
      'SELECT body::text AS body FROM files WHERE id = $1',
      [id],
    );
    return rows[0] ? (JSON.parse(rows[0].body) as OpenAIFile) : null;
  }

  page(purpose: string | undefined, request: PageRequest): Promise<PageResult> {
    return pageOf(this.session.db, 'files', purpose === undefined ? {} : { purpose }, request);
  }
}
