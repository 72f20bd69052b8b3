import { ACTIVE_RUN_STATUSES, type Run } from '../../shared/openai-types';
import { CursorPager, type PageRequest, type PageResult } from './cursor-page';
import { pagesOf } from './pages-of';
import type { Db } from './database';
import type { IndexedWrites } from './indexed-writes';
import type { RunInternal, RunRecord, Transition } from './run-record';

interface RunRow {
  body: string;
  internal: string;
  next_transition: Transition | null;
  due_at: number | null;
}

const ACTIVE_IN = `(${ACTIVE_RUN_STATUSES.map((status) => `'${status}'`).join(', ')})`;

function toRecord(row: RunRow): RunRecord {
  return {
    run: JSON.parse(row.body) as Run,
    internal: JSON.parse(row.internal) as RunInternal,
    schedule:
      row.next_transition !== null && row.due_at !== null
        ? { transition: row.next_transition, dueAt: row.due_at }
        : null,
  };
}

export class RunStore {
  private readonly pager: CursorPager;
  private readonly insertStatement;
  private readonly updateStatement;
  private readonly getStatement;
  private readonly deleteInThreadStatement;
  private readonly activeStatement;
  private readonly nextDueStatement;
  private readonly firstDueStatement;
  private readonly allStatement;
  private readonly countStatement;
  private readonly inProgressStatement;

  constructor(
    private readonly db: Db,
    private readonly writes: IndexedWrites,
  ) {
    this.pager = new CursorPager(db, 'runs');
    this.insertStatement = db.prepare(
      `INSERT INTO runs (id, thread_id, created_at, status, body, internal, next_transition, due_at)
       VALUES (@id, @thread_id, @created_at, @status, @body, @internal, @next_transition, @due_at)`,
    );
    this.updateStatement = db.prepare(
      `UPDATE runs SET status = @status, body = @body, internal = @internal,
         next_transition = @next_transition, due_at = @due_at WHERE id = @id`,
    );
    this.getStatement = db.prepare('SELECT body, internal, next_transition, due_at FROM runs WHERE id = ?');
    this.deleteInThreadStatement = db.prepare('DELETE FROM runs WHERE thread_id = ?');
    this.activeStatement = db.prepare(
      `SELECT body, internal, next_transition, due_at FROM runs WHERE thread_id = ? AND status IN ${ACTIVE_IN} LIMIT 1`,
    );
    this.nextDueStatement = db.prepare('SELECT MIN(due_at) AS due FROM runs WHERE due_at IS NOT NULL');
    this.firstDueStatement = db.prepare(
      `SELECT body, internal, next_transition, due_at FROM runs
       WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at, seq LIMIT 1`,
    );
    this.allStatement = db.prepare('SELECT seq, body FROM runs WHERE seq > ? ORDER BY seq LIMIT ?');
    this.countStatement = db.prepare('SELECT COUNT(*) FROM runs').pluck();
    // Every in_progress run has a transition scheduled (at least its expiry), so the due index finds them all.
    this.inProgressStatement = db.prepare(
      `SELECT body, internal, next_transition, due_at FROM runs
       WHERE due_at IS NOT NULL AND status = 'in_progress' ORDER BY due_at, seq`,
    );
  }

  /**
   * Every run, oldest write first, as stored: for the store index's first build. Read a page at a time (the reader
   * writes on the same connection between pages, which an open statement would forbid).
   */
  *allRuns(): Generator<Run> {
    yield* pagesOf(this.allStatement, (body) => JSON.parse(body) as Run);
  }

  count(): number {
    return this.countStatement.get() as number;
  }

  insert(record: RunRecord): void {
    this.writes.write(() => this.insertStatement.run(this.row(record)), {
      object: 'run',
      change: 'created',
      run: structuredClone(record.run),
    });
  }

  update(record: RunRecord): void {
    this.writes.write(() => this.updateStatement.run(this.row(record)), {
      object: 'run',
      change: 'updated',
      run: structuredClone(record.run),
    });
  }

  /**
   * Part of a thread's deletion, which publishes the one event for the thread and all it held. Active runs go too,
   * with their scheduled transitions: nothing of them is left to move on.
   */
  deleteInThread(threadId: string): void {
    this.deleteInThreadStatement.run(threadId);
  }

  get(id: string): RunRecord | null {
    const row = this.getStatement.get(id) as RunRow | undefined;
    return row ? toRecord(row) : null;
  }

  activeRun(threadId: string): Run | null {
    const row = this.activeStatement.get(threadId) as RunRow | undefined;
    return row ? (JSON.parse(row.body) as Run) : null;
  }

  /** When the earliest scheduled transition is due, or null when nothing is in flight. */
  nextDueAt(): number | null {
    return (this.nextDueStatement.get() as { due: number | null }).due;
  }

  firstDue(upTo: number): RunRecord | null {
    const row = this.firstDueStatement.get(upTo) as RunRow | undefined;
    return row ? toRecord(row) : null;
  }

  /** Runs in progress right now (after a restart: those whose work was cut off). */
  inProgress(): RunRecord[] {
    return (this.inProgressStatement.all() as RunRow[]).map(toRecord);
  }

  page(threadId: string, request: PageRequest): PageResult {
    return this.pager.page({ thread_id: threadId }, request);
  }

  /**
   * Many ended runs in one transaction (the admin seed), each indexed as it is inserted, published as one `resync`
   * rather than one event each.
   */
  insertMany(records: Iterable<RunRecord>): number {
    let count = 0;
    const threadIds = new Set<string>();
    const insert = this.insertStatement;
    const row = (record: RunRecord) => this.row(record);
    function* inserted(): Generator<Run> {
      for (const record of records) {
        insert.run(row(record));
        threadIds.add(record.run.thread_id);
        count++;
        yield record.run;
      }
    }
    this.writes.writeMany(() => {
      this.writes.index.bulkInserted(inserted());
      return count > 0 ? { object: 'resync', reason: 'bulk_insert', threadIds: [...threadIds] } : null;
    });
    return count;
  }

  private row({ run, internal, schedule }: RunRecord) {
    return {
      id: run.id,
      thread_id: run.thread_id,
      created_at: run.created_at,
      status: run.status,
      body: JSON.stringify(run),
      internal: JSON.stringify(internal),
      next_transition: schedule?.transition ?? null,
      due_at: schedule ? Math.round(schedule.dueAt) : null,
    };
  }
}
