import type { Message } from '../../shared/openai-types';
import { CursorPager, type PageRequest, type PageResult } from './cursor-page';
import type { Db } from './database';
import type { IndexedWrites } from './indexed-writes';

export class MessageStore {
  private readonly pager: CursorPager;
  private readonly insertStatement;
  private readonly updateStatement;
  private readonly deleteStatement;
  private readonly deleteInThreadStatement;
  private readonly getStatement;
  private readonly threadStatement;
  private readonly appendStatement;
  private readonly appendsStatement;
  private readonly clearAppendsStatement;
  private readonly clearAppendsInThreadStatement;
  private readonly beforeStatement;
  private readonly replyStatement;

  constructor(
    db: Db,
    private readonly writes: IndexedWrites,
  ) {
    this.pager = new CursorPager(db, 'messages');
    this.insertStatement = db.prepare(
      'INSERT INTO messages (id, thread_id, run_id, created_at, body) VALUES (?, ?, ?, ?, ?)',
    );
    this.updateStatement = db.prepare('UPDATE messages SET body = ? WHERE id = ?');
    this.deleteStatement = db.prepare('DELETE FROM messages WHERE id = ?');
    this.deleteInThreadStatement = db.prepare('DELETE FROM messages WHERE thread_id = ?');
    this.getStatement = db.prepare('SELECT id, body FROM messages WHERE id = ? AND thread_id = ?');
    this.threadStatement = db.prepare(
      'SELECT id, body FROM messages WHERE thread_id = ? ORDER BY created_at, seq',
    );
    this.appendStatement = db.prepare('INSERT INTO message_text_appends (message_id, text) VALUES (?, ?)');
    this.appendsStatement = db.prepare(
      `SELECT message_id, text FROM message_text_appends
       WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY seq`,
    );
    this.clearAppendsStatement = db.prepare('DELETE FROM message_text_appends WHERE message_id = ?');
    this.clearAppendsInThreadStatement = db.prepare(
      'DELETE FROM message_text_appends WHERE message_id IN (SELECT id FROM messages WHERE thread_id = ?)',
    );
    this.beforeStatement = db.prepare(
      'SELECT id, body FROM messages WHERE thread_id = ? AND created_at <= ? ORDER BY created_at DESC, seq DESC LIMIT 20',
    );
    this.replyStatement = db.prepare(
      'SELECT id, body FROM messages WHERE thread_id = ? AND created_at >= ? AND run_id = ? ORDER BY created_at, seq LIMIT 1',
    );
  }

  insert(message: Message): void {
    this.writes.write(
      () =>
        this.insertStatement.run(
          message.id,
          message.thread_id,
          message.run_id,
          message.created_at,
          JSON.stringify(message),
        ),
      { object: 'message', change: 'created', message: structuredClone(message) },
    );
  }

  /** Writes the whole message (the text appended since the last whole write included). */
  update(message: Message): void {
    this.writes.write(
      () => {
        this.updateStatement.run(JSON.stringify(message), message.id);
        this.clearAppendsStatement.run(message.id);
      },
      { object: 'message', change: 'updated', message: structuredClone(message) },
    );
  }

  /**
   * `message` (one text part, still being written) grew by `textDelta` at its end: only the delta is written (one
   * small row, folded in on reads), and the event's copy shares the text instead of cloning it. Rewriting the whole
   * message at each growth made a long answer cost its length squared. Streams send the delta.
   */
  appendText(message: Message, textDelta: string): void {
    const { content, ...rest } = message;
    const snapshot: Message = {
      ...structuredClone(rest),
      content: content.map((part) => ({ ...part, text: { ...part.text, annotations: [] } })),
    };
    this.writes.write(() => this.appendStatement.run(message.id, textDelta), {
      object: 'message',
      change: 'updated',
      message: snapshot,
      textDelta,
    });
  }

  delete(message: Message): void {
    this.writes.write(
      () => {
        this.deleteStatement.run(message.id);
        this.clearAppendsStatement.run(message.id);
      },
      { object: 'message', change: 'deleted', message: structuredClone(message) },
    );
  }

  /** Part of a thread's deletion, which publishes the one event for the thread and all it held. */
  deleteInThread(threadId: string): void {
    this.clearAppendsInThreadStatement.run(threadId);
    this.deleteInThreadStatement.run(threadId);
  }

  get(threadId: string, id: string): Message | null {
    const row = this.getStatement.get(id, threadId) as { id: string; body: string } | undefined;
    return row ? (JSON.parse(this.withAppends([row])[0]!.body) as Message) : null;
  }

  /** The whole conversation, oldest first: what a run reads as its prompt. */
  inThread(threadId: string): Message[] {
    return this.withAppends(this.threadStatement.all(threadId) as Array<{ id: string; body: string }>).map(
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
    type Row = { id: string; body: string };
    const before = (this.beforeStatement.all(run.thread_id, run.created_at) as Row[]).map(
      (row) => JSON.parse(row.body) as Message,
    );
    // The reply may still be growing: the text appended since its last whole write is folded in.
    const [reply] = this.withAppends(
      [this.replyStatement.get(run.thread_id, run.created_at, run.id) as Row | undefined].filter(
        (row): row is Row => row !== undefined,
      ),
    );
    return {
      input: before.find((message) => message.role === 'user') ?? null,
      reply: reply === undefined ? null : (JSON.parse(reply.body) as Message),
    };
  }

  page(threadId: string, runId: string | undefined, request: PageRequest): PageResult {
    const result = this.pager.page(
      runId ? { thread_id: threadId, run_id: runId } : { thread_id: threadId },
      request,
    );
    return 'rows' in result ? { ...result, rows: this.withAppends(result.rows) } : result;
  }

  /** The rows with the text appended since their last whole write folded into their body (one query for all). */
  private withAppends<Row extends { id: string; body: string }>(rows: Row[]): Row[] {
    if (rows.length === 0) return rows;
    const found = this.appendsStatement.all(JSON.stringify(rows.map((row) => row.id))) as TextAppend[];
    return foldTextAppends(rows, found);
  }
}

/** A growth of a message still being written, as stored (`message_text_appends`), oldest first. */
export interface TextAppend {
  message_id: string;
  text: string;
}

/** `rows` with the text appended since their last whole write folded into their body's first part (both stores). */
export function foldTextAppends<Row extends { id: string; body: string }>(
  rows: Row[],
  found: TextAppend[],
): Row[] {
  if (found.length === 0) return rows;
  const appended = new Map<string, string[]>();
  for (const { message_id, text } of found) {
    const texts = appended.get(message_id) ?? [];
    texts.push(text);
    appended.set(message_id, texts);
  }
  return rows.map((row) => {
    const texts = appended.get(row.id);
    if (!texts) return row;
    const message = JSON.parse(row.body) as Message;
    const part = message.content[0];
    if (part) part.text.value += texts.join('');
    return { ...row, body: JSON.stringify(message) };
  });
}
