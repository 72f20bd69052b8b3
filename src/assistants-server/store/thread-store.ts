import type { Thread } from '../../shared/openai-types';
import { CursorPager, type PageRequest, type PageResult } from './cursor-page';
import { pagesOf } from './pages-of';
import type { Db } from './database';
import type { IndexedWrites } from './indexed-writes';

export class ThreadStore {
  private readonly pager: CursorPager;
  private readonly insertStatement;
  private readonly updateStatement;
  private readonly deleteStatement;
  private readonly getStatement;
  private readonly countStatement;
  private readonly allStatement;

  constructor(
    db: Db,
    private readonly writes: IndexedWrites,
  ) {
    this.pager = new CursorPager(db, 'threads');
    this.insertStatement = db.prepare('INSERT INTO threads (id, created_at, body) VALUES (?, ?, ?)');
    this.updateStatement = db.prepare('UPDATE threads SET body = ? WHERE id = ?');
    this.deleteStatement = db.prepare('DELETE FROM threads WHERE id = ?');
    this.getStatement = db.prepare('SELECT body FROM threads WHERE id = ?');
    this.countStatement = db.prepare('SELECT COUNT(*) AS count FROM threads');
    this.allStatement = db.prepare('SELECT seq, body FROM threads WHERE seq > ? ORDER BY seq LIMIT ?');
  }

  /** Every thread, oldest first: for the store index's first build. */
  *allThreads(): Generator<Thread> {
    yield* pagesOf(this.allStatement, (body) => JSON.parse(body) as Thread);
  }

  insert(thread: Thread): void {
    this.writes.write(() => this.insertStatement.run(thread.id, thread.created_at, JSON.stringify(thread)), {
      object: 'thread',
      change: 'created',
      thread: structuredClone(thread),
    });
  }

  update(thread: Thread): void {
    this.writes.write(() => this.updateStatement.run(JSON.stringify(thread), thread.id), {
      object: 'thread',
      change: 'updated',
      thread: structuredClone(thread),
    });
  }

  /** The thread row only: its messages, runs and steps are removed first (see lifecycle/delete-thread). */
  delete(thread: Thread): void {
    this.writes.write(() => this.deleteStatement.run(thread.id), {
      object: 'thread',
      change: 'deleted',
      thread: structuredClone(thread),
    });
  }

  get(id: string): Thread | null {
    const row = this.getStatement.get(id) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as Thread) : null;
  }

  /** SQLite's transactions hold the database's write lock from their start: the thread is already locked. */
  getForUpdate(id: string): Thread | null {
    return this.get(id);
  }

  count(): number {
    return (this.countStatement.get() as { count: number }).count;
  }

  page(request: PageRequest): PageResult {
    return this.pager.page({}, request);
  }
}
