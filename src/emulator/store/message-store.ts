import type { Message } from '../../shared/openai-types';
import { CursorPager, type PageRequest, type PageResult } from './cursor-page';
import type { Db } from './database';
import type { LifecycleEvents } from '../events/lifecycle-events';

export class MessageStore {
  private readonly pager: CursorPager;
  private readonly insertStatement;
  private readonly updateStatement;
  private readonly deleteStatement;
  private readonly deleteInThreadStatement;
  private readonly getStatement;
  private readonly threadStatement;
  private readonly beforeStatement;
  private readonly replyStatement;

  constructor(
    db: Db,
    private readonly events: LifecycleEvents,
  ) {
    this.pager = new CursorPager(db, 'messages');
    this.insertStatement = db.prepare(
      'INSERT INTO messages (id, thread_id, run_id, created_at, body) VALUES (?, ?, ?, ?, ?)',
    );
    this.updateStatement = db.prepare('UPDATE messages SET body = ? WHERE id = ?');
    this.deleteStatement = db.prepare('DELETE FROM messages WHERE id = ?');
    this.deleteInThreadStatement = db.prepare('DELETE FROM messages WHERE thread_id = ?');
    this.getStatement = db.prepare('SELECT body FROM messages WHERE id = ? AND thread_id = ?');
    this.threadStatement = db.prepare(
      'SELECT body FROM messages WHERE thread_id = ? ORDER BY created_at, seq',
    );
    this.beforeStatement = db
      .prepare(
        'SELECT body FROM messages WHERE thread_id = ? AND created_at <= ? ORDER BY created_at DESC, seq DESC LIMIT 20',
      )
      .pluck();
    this.replyStatement = db
      .prepare(
        'SELECT body FROM messages WHERE thread_id = ? AND created_at >= ? AND run_id = ? ORDER BY created_at, seq LIMIT 1',
      )
      .pluck();
  }

  insert(message: Message): void {
    this.insertStatement.run(
      message.id,
      message.thread_id,
      message.run_id,
      message.created_at,
      JSON.stringify(message),
    );
    this.events.publish({ object: 'message', change: 'created', message: structuredClone(message) });
  }

  /** `textDelta`: the text this update appended to a message still being written (streams send it as a delta). */
  update(message: Message, textDelta?: string): void {
    this.updateStatement.run(JSON.stringify(message), message.id);
    const event = {
      object: 'message' as const,
      change: 'updated' as const,
      message: structuredClone(message),
    };
    this.events.publish(textDelta === undefined ? event : { ...event, textDelta });
  }

  delete(message: Message): void {
    this.deleteStatement.run(message.id);
    this.events.publish({ object: 'message', change: 'deleted', message: structuredClone(message) });
  }

  /** Part of a thread's deletion, which publishes the one event for the thread and all it held. */
  deleteInThread(threadId: string): void {
    this.deleteInThreadStatement.run(threadId);
  }

  get(threadId: string, id: string): Message | null {
    const row = this.getStatement.get(id, threadId) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as Message) : null;
  }

  /** The whole conversation, oldest first: what a run reads as its prompt. */
  inThread(threadId: string): Message[] {
    return (this.threadStatement.all(threadId) as Array<{ body: string }>).map(
      (row) => JSON.parse(row.body) as Message,
    );
  }

  /**
   * What a run was asked and answered: the last user message of its thread up to its creation (among the 20 newest
   * messages then), and the first message the run wrote. Read through the thread's time index.
   */
  aroundRun(run: { id: string; thread_id: string; created_at: number }): {
    input: Message | null;
    reply: Message | null;
  } {
    const before = (this.beforeStatement.all(run.thread_id, run.created_at) as string[]).map(
      (body) => JSON.parse(body) as Message,
    );
    const reply = this.replyStatement.get(run.thread_id, run.created_at, run.id) as string | undefined;
    return {
      input: before.find((message) => message.role === 'user') ?? null,
      reply: reply === undefined ? null : (JSON.parse(reply) as Message),
    };
  }

  page(threadId: string, runId: string | undefined, request: PageRequest): PageResult {
    return this.pager.page(runId ? { thread_id: threadId, run_id: runId } : { thread_id: threadId }, request);
  }
}
