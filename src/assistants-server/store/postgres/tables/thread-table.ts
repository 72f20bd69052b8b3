import type { Thread } from '../../../../shared/openai-types';
import type { ThreadTable } from '../../assistants-store';
import type { PageRequest, PageResult } from '../../cursor-page';
import { pageOf } from './pg-cursor-page';
import { jsonText, type PgSession } from './pg-session';

export class PgThreadTable implements ThreadTable {
  constructor(private readonly session: PgSession) {}

  async insert(thread: Thread): Promise<void> {
    await this.session.db.query('INSERT INTO threads (id, created_at, body) VALUES ($1, $2, $3::jsonb)', [
      thread.id,
      thread.created_at,
      jsonText(thread),
    ]);
    await this.session.written({ object: 'thread', change: 'created', thread: structuredClone(thread) });
  }

  async update(thread: Thread): Promise<void> {
    await this.session.db.query('UPDATE threads SET body = $1::jsonb WHERE id = $2', [
      jsonText(thread),
      thread.id,
    ]);
    await this.session.written({ object: 'thread', change: 'updated', thread: structuredClone(thread) });
  }

  async delete(thread: Thread): Promise<void> {
    await this.session.db.query('DELETE FROM threads WHERE id = $1', [thread.id]);
    await this.session.written({ object: 'thread', change: 'deleted', thread: structuredClone(thread) });
  }

  get(id: string): Promise<Thread | null> {
    return this.read('SELECT body::text AS body FROM threads WHERE id = $1', id);
  }

  /** The row stays locked until the transaction ends: a second one checking the thread's lock waits. */
  getForUpdate(id: string): Promise<Thread | null> {
    return this.read('SELECT body::text AS body FROM threads WHERE id = $1 FOR UPDATE', id);
  }

  async count(): Promise<number> {
    const { rows } = await this.session.db.query<{ count: number }>('SELECT COUNT(*) AS count FROM threads');
    return rows[0]!.count;
  }

  page(request: PageRequest): Promise<PageResult> {
    return pageOf(this.session.db, 'threads', {}, request);
  }

  private async read(sql: string, id: string): Promise<Thread | null> {
    const { rows } = await this.session.db.query<{ body: string }>(sql, [id]);
    return rows[0] ? (JSON.parse(rows[0].body) as Thread) : null;
  }
}
