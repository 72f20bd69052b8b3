import { ACTIVE_RUN_STATUSES, type Run, type RunStatus } from '../../shared/openai-types';
import type { DueRun, SetAsideIds } from './assistants-store';
import { CursorPager, type PageRequest, type PageResult } from './cursor-page';
import { pagesOf } from './pages-of';
import type { Db } from './database';
import type { IndexedWrites } from './indexed-writes';
import type { RunInternal, RunRecord, Transition } from './run-record';

export interface RunRow {
  body: string;
  internal: string;
  next_transition: Transition | null;
  due_at: number | null;
}

/** The active statuses as an SQL list (both stores). */
export const ACTIVE_IN = `(${ACTIVE_RUN_STATUSES.map((status) => `'${status}'`).join(', ')})`;

export interface DueRow extends RunRow {
  id: string;
  thread_id: string;
}

const DUE_COLUMNS = 'id, thread_id, body, internal, next_transition, due_at';
const NOT_SET_ASIDE = 'id NOT IN (SELECT value FROM json_each(?))';

/** A run's row as its record (throws when a column is not JSON). */
export function toRecord(row: RunRow): RunRecord {
  return {
    run: JSON.parse(row.body) as Run,
    internal: JSON.parse(row.internal) as RunInternal,
    schedule:
      row.next_transition !== null && row.due_at !== null
        ? { transition: row.next_transition, dueAt: row.due_at }
        : null,
  };
}

const NONE: SetAsideIds = new Set();

function idList(ids: SetAsideIds): string {
  return JSON.stringify([...ids]);
}

export function toDueRun(row: DueRow | undefined): DueRun | null {
  if (!row || row.next_transition === null || row.due_at === null) return null;
  return {
    id: row.id,
    threadId: row.thread_id,
    transition: row.next_transition,
    dueAt: row.due_at,
    load: () => toRecord(row),
  };
}

function readable<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}

export class RunStore {
  private readonly pager: CursorPager;
  private readonly insertStatement;
  private readonly updateStatement;
  private readonly updateIfStatusStatement;
  private readonly getStatement;
  private readonly deleteInThreadStatement;
  private readonly activeStatement;
  private readonly activeIdStatement;
  private readonly nextDueStatement;
  private readonly firstDueStatement;
  private readonly firstDueInThreadStatement;
  private readonly setAsideStatement;
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
    this.updateIfStatusStatement = db.prepare(
      `UPDATE runs SET status = @status, body = @body, internal = @internal,
         next_transition = @next_transition, due_at = @due_at WHERE id = @id AND status = @expected_status`,
    );
    this.getStatement = db.prepare('SELECT body, internal, next_transition, due_at FROM runs WHERE id = ?');
    this.deleteInThreadStatement = db.prepare('DELETE FROM runs WHERE thread_id = ?');
    this.activeStatement = db.prepare(
      `SELECT body, internal, next_transition, due_at FROM runs WHERE thread_id = ? AND status IN ${ACTIVE_IN} LIMIT 1`,
    );
    this.activeIdStatement = db
      .prepare(`SELECT id FROM runs WHERE thread_id = ? AND status IN ${ACTIVE_IN} LIMIT 1`)
      .pluck();
    this.nextDueStatement = db.prepare(
      `SELECT MIN(due_at) AS due FROM runs WHERE due_at IS NOT NULL AND ${NOT_SET_ASIDE}`,
    );
    this.firstDueStatement = db.prepare(
      `SELECT ${DUE_COLUMNS} FROM runs
       WHERE due_at IS NOT NULL AND due_at <= ? AND ${NOT_SET_ASIDE} ORDER BY due_at, seq LIMIT 1`,
    );
    this.firstDueInThreadStatement = db.prepare(
      `SELECT ${DUE_COLUMNS} FROM runs
       WHERE thread_id = ? AND due_at IS NOT NULL AND due_at <= ? AND ${NOT_SET_ASIDE}
       ORDER BY due_at, seq LIMIT 1`,
    );
    this.setAsideStatement = db.prepare('UPDATE runs SET next_transition = NULL, due_at = NULL WHERE id = ?');
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
   * writes on the same connection between pages, which an open statement would forbid). A row whose JSON cannot be
   * read is left out (the scheduler reports it when it falls due), so it cannot stop a start.
   */
  *allRuns(): Generator<Run> {
    for (const run of pagesOf(this.allStatement, (body) => readable(() => JSON.parse(body) as Run))) {
      if (run) yield run;
    }
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

  /**
   * With `expectedStatus`, a compare-and-set on the stored status: false (nothing written, nothing published) when
   * another writer moved the run on.
   */
  update(record: RunRecord, condition?: { expectedStatus: RunStatus }): boolean {
    let written = true;
    this.writes.writeMany(() => {
      if (condition) {
        const row = { ...this.row(record), expected_status: condition.expectedStatus };
        written = this.updateIfStatusStatement.run(row).changes > 0;
        if (!written) return null;
      } else {
        this.updateStatement.run(this.row(record));
      }
      return { object: 'run', change: 'updated', run: structuredClone(record.run) };
    });
    return written;
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

  /** SQLite's transactions hold the database's write lock from their start: the run is already locked. */
  getForUpdate(id: string): RunRecord | null {
    return this.get(id);
  }

  /** The id of the thread's active run (the thread's lock), read from its columns: a broken row still locks. */
  activeRunId(threadId: string): string | null {
    return (this.activeIdStatement.get(threadId) as string | undefined) ?? null;
  }

  activeRun(threadId: string): Run | null {
    const row = this.activeStatement.get(threadId) as RunRow | undefined;
    return row ? (JSON.parse(row.body) as Run) : null;
  }

  /** When the earliest scheduled transition is due, or null when nothing is in flight. */
  nextDueAt(setAside: SetAsideIds = NONE): number | null {
    return (this.nextDueStatement.get(idList(setAside)) as { due: number | null }).due;
  }

  /** The run whose transition is due first by `upTo` (ties: oldest run first). */
  firstDue(upTo: number, setAside: SetAsideIds = NONE): DueRun | null {
    return toDueRun(this.firstDueStatement.get(upTo, idList(setAside)) as DueRow | undefined);
  }

  /** The same, among one thread's runs (only its active run can have a transition scheduled). */
  firstDueInThread(threadId: string, upTo: number, setAside: SetAsideIds = NONE): DueRun | null {
    return toDueRun(
      this.firstDueInThreadStatement.get(threadId, upTo, idList(setAside)) as DueRow | undefined,
    );
  }

  /** A run whose record cannot be read loses its schedule, without being read: the scheduler stops picking it. */
  setAside(id: string): void {
    this.setAsideStatement.run(id);
  }

  /** Runs in progress right now (after a restart: those whose work was cut off); unreadable rows are left out. */
  inProgress(): RunRecord[] {
    return (this.inProgressStatement.all() as RunRow[]).flatMap((row) => readable(() => toRecord(row)) ?? []);
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
