import type { Thread } from '../../shared/openai-types';
import { CursorPager, type PageRequest, type PageResult } from './cursor-page';
import type { Db } from './database';
import type { LifecycleEvents } from '../events/lifecycle-events';

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
    private readonly events: LifecycleEvents,
  ) {
    this.pager = new CursorPager(db, 'threads');
    this.insertStatement = db.prepare('INSERT INTO threads (id, created_at, body) VALUES (?, ?, ?)');
    this.updateStatement = db.prepare('UPDATE threads SET body = ? WHERE id = ?');
    this.deleteStatement = db.prepare('DELETE FROM threads WHERE id = ?');
    this.getStatement = db.prepare('SELECT body FROM threads WHERE id = ?');
    this.countStatement = db.prepare('SELECT COUNT(*) AS count FROM threads');
    this.allStatement = db.prepare('SELECT body FROM threads ORDER BY seq').pluck();
  }

  /** Every thread, oldest first: for indexes built from the emulator's data. */
  *allThreads(): Generator<Thread> {
    for (const body of this.allStatement.iterate() as Iterable<string>) yield JSON.parse(body) as Thread;
  }

  insert(thread: Thread): void {
    this.insertStatement.run(thread.id, thread.created_at, JSON.stringify(thread));
    this.events.publish({ object: 'thread', change: 'created', thread: structuredClone(thread) });
  }

  update(thread: Thread): void {
    this.updateStatement.run(JSON.stringify(thread), thread.id);
    this.events.publish({ object: 'thread', change: 'updated', thread: structuredClone(thread) });
  }

  /** The thread row only: its messages, runs and steps are removed first (see lifecycle/delete-thread). */
  delete(thread: Thread): void {
    this.deleteStatement.run(thread.id);
    this.events.publish({ object: 'thread', change: 'deleted', thread: structuredClone(thread) });
  }

  get(id: string): Thread | null {
    const row = this.getStatement.get(id) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as Thread) : null;
  }

  count(): number {
    return (this.countStatement.get() as { count: number }).count;
  }

  page(request: PageRequest): PageResult {
    return this.pager.page({}, request);
  }
}
