import type { Message } from '../../../../shared/openai-types';
import type { MessageTable } from '../../assistants-store';
import type { PageRequest, PageResult } from '../../cursor-page';
import { foldTextAppends, type TextAppend } from '../../message-store';
import type { RunMessages } from '../../query-rows/run-preview';
import { pageOf } from './pg-cursor-page';
import { jsonText, storable, type PgSession } from './pg-session';

type Row = { id: string; body: string };

/** Messages, and the text appended to a message still being written (folded in on reads), as SQLite's store. */
export class PgMessageTable implements MessageTable {
  constructor(private readonly session: PgSession) {}

  async insert(message: Message): Promise<void> {
    await this.session.db.query(
      'INSERT INTO messages (id, thread_id, run_id, created_at, body) VALUES ($1, $2, $3, $4, $5::jsonb)',
      [message.id, message.thread_id, message.run_id, message.created_at, jsonText(message)],
    );
    await this.session.written({ object: 'message', change: 'created', message: structuredClone(message) });
  }

  async update(message: Message): Promise<void> {
    await this.session.db.query('UPDATE messages SET body = $1::jsonb WHERE id = $2', [
      jsonText(message),
      message.id,
    ]);
    await this.clearAppends(message.id);
    await this.session.written({ object: 'message', change: 'updated', message: structuredClone(message) });
  }

  /** Only the delta is written (one small row); the event's copy shares the text instead of cloning it. */
  async appendText(message: Message, textDelta: string): Promise<void> {
    const { content, ...rest } = message;
    const snapshot: Message = {
      ...structuredClone(rest),
      content: content.map((part) => ({ ...part, text: { ...part.text, annotations: [] } })),
    };
    await this.session.db.query('INSERT INTO message_text_appends (message_id, text) VALUES ($1, $2)', [
      message.id,
      storable(textDelta),
    ]);
    await this.session.written({ object: 'message', change: 'updated', message: snapshot, textDelta });
  }

  async delete(message: Message): Promise<void> {
    await this.session.db.query('DELETE FROM messages WHERE id = $1', [message.id]);
    await this.clearAppends(message.id);
    await this.session.written({ object: 'message', change: 'deleted', message: structuredClone(message) });
  }

  async deleteInThread(threadId: string): Promise<void> {
    await this.session.db.query(
      'DELETE FROM message_text_appends WHERE message_id IN (SELECT id FROM messages WHERE thread_id = $1)',
      [threadId],
    );
    await this.session.db.query('DELETE FROM messages WHERE thread_id = $1', [threadId]);
  }

  async get(threadId: string, id: string): Promise<Message | null> {
    const { rows } = await this.session.db.query<Row>(
      'SELECT id, body::text AS body FROM messages WHERE id = $1 AND thread_id = $2',
      [id, threadId],
    );
    const [row] = await this.withAppends(rows);
    return row ? (JSON.parse(row.body) as Message) : null;
  }

  async inThread(threadId: string): Promise<Message[]> {
    const { rows } = await this.session.db.query<Row>(
      'SELECT id, body::text AS body FROM messages WHERE thread_id = $1 ORDER BY created_at, seq',
      [threadId],
    );
    return (await this.withAppends(rows)).map((row) => JSON.parse(row.body) as Message);
  }

  /**
   * What a run was asked and answered (its preview): the last user message of its thread up to its creation (among
   * the 20 newest then), and the first message the run wrote, as SQLite's `MessageStore.aroundRun`.
   */
  async aroundRun(run: { id: string; thread_id: string; created_at: number }): Promise<RunMessages> {
    const [before, replies] = await Promise.all([
      this.session.db.query<Row>(
        `SELECT id, body::text AS body FROM messages WHERE thread_id = $1 AND created_at <= $2
         ORDER BY created_at DESC, seq DESC LIMIT 20`,
        [run.thread_id, run.created_at],
      ),
      this.session.db.query<Row>(
        `SELECT id, body::text AS body FROM messages WHERE thread_id = $1 AND created_at >= $2 AND run_id = $3
         ORDER BY created_at, seq LIMIT 1`,
        [run.thread_id, run.created_at, run.id],
      ),
    ]);
    const [reply] = await this.withAppends(replies.rows);
    return {
      input:
        before.rows
          .map((row) => JSON.parse(row.body) as Message)
          .find((message) => message.role === 'user') ?? null,
      reply: reply === undefined ? null : (JSON.parse(reply.body) as Message),
    };
  }

  async page(threadId: string, runId: string | undefined, request: PageRequest): Promise<PageResult> {
    const result = await pageOf(
      this.session.db,
      'messages',
      runId ? { thread_id: threadId, run_id: runId } : { thread_id: threadId },
      request,
    );
    return 'rows' in result ? { ...result, rows: await this.withAppends(result.rows) } : result;
  }

  private async clearAppends(messageId: string): Promise<void> {
    await this.session.db.query('DELETE FROM message_text_appends WHERE message_id = $1', [messageId]);
  }

  /** The rows with the text appended since their last whole write folded into their body (one query for all). */
  private async withAppends<R extends Row>(rows: R[]): Promise<R[]> {
    if (rows.length === 0) return rows;
    const { rows: found } = await this.session.db.query<TextAppend>(
      'SELECT message_id, text FROM message_text_appends WHERE message_id = ANY($1::text[]) ORDER BY seq',
      [rows.map((row) => row.id)],
    );
    return foldTextAppends(rows, found);
  }
}
