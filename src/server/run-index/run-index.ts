import { ACTIVE_RUN_STATUSES, isActiveStatus, type Run, type Thread } from '../../shared/openai-types';
import { metadataText, outcomeText, runSearchText } from '../../shared/run-text';
import { runEndedAt } from '../../shared/run-timing';
import { naturalSortKey, statusRank } from '../../shared/run-sort-keys';
import type { ChangeEvent, IndexedRun } from '../../shared/runs-query-types';
import type { IndexDb } from './run-index-schema';
import { NO_RUN_MESSAGES, runPreview, type RunMessages } from './run-preview';

const ACTIVE_RANKS = ACTIVE_RUN_STATUSES.map(statusRank).join(', ');

type WithoutSeq<T> = T extends unknown ? Omit<T, 'seq'> : never;
/** A change the index made, as the change feed publishes it (the feed adds the seq). */
export type IndexChange = WithoutSeq<ChangeEvent>;
export type IndexChangeListener = (change: IndexChange) => void;

interface StoredRun {
  ord: number;
  search_text: string;
  status: string;
  activity_at: number;
  body: string;
}

/** The run's last change we can date: its newest timestamp. */
function activityOf(run: Run): number {
  return Math.max(run.created_at, run.started_at ?? 0, runEndedAt(run) ?? 0);
}

/** The ended run's duration (as the table's duration column), -1 when unknown; null while active (computed at query). */
function storedDuration(run: Run): number | null {
  if (isActiveStatus(run.status)) return null;
  const endedAt = runEndedAt(run);
  return endedAt === null ? -1 : Math.max(0, endedAt - run.created_at);
}

function threadSearchText(thread: Thread): string {
  const metadata = Object.entries(thread.metadata ?? {})
    .map(([key, value]) => `${key}: ${value}`)
    .join(' ');
  return `${thread.id} ${metadata}`.toLowerCase();
}

/**
 * Runboard's query index of runs and threads (one engine for both modes): the emulator feeds it from its lifecycle
 * events, proxy mode from the upstream poller. Every write that changes something is reported to the listeners
 * (the change feed) after its transaction commits, so a client that refetches on a change sees it.
 */
export class RunIndex {
  private readonly listeners = new Set<IndexChangeListener>();
  private pending: IndexChange[] | null = null;
  private readonly statements;
  /** The messages a run's preview reads; the source sets it (the emulator's; proxy mode knows none). */
  runMessages: (run: Run) => RunMessages = () => NO_RUN_MESSAGES;

  constructor(readonly db: IndexDb) {
    this.statements = {
      getRun: db.prepare('SELECT ord, status, activity_at, search_text, body FROM runs WHERE id = ?'),
      getRunByOrd: db.prepare('SELECT search_text FROM runs WHERE ord = ?').pluck(),
      insertSearch: db.prepare('INSERT INTO runs_search (rowid, search_text) VALUES (?, ?)'),
      deleteSearch: db.prepare(
        "INSERT INTO runs_search (runs_search, rowid, search_text) VALUES ('delete', ?, ?)",
      ),
      insertRun: db.prepare(
        `INSERT INTO runs (id, thread_id, assistant_id, model, status, created_at, activity_at, k_status, k_id,
           k_assistant, k_model, k_duration, k_tokens, k_outcome, k_metadata, search_text, body)
         VALUES (@id, @thread_id, @assistant_id, @model, @status, @created_at, @activity_at, @k_status, @k_id,
           @k_assistant, @k_model, @k_duration, @k_tokens, @k_outcome, @k_metadata, @search_text, @body)`,
      ),
      updateRun: db.prepare(
        `UPDATE runs SET thread_id = @thread_id, assistant_id = @assistant_id, model = @model, status = @status,
           created_at = @created_at, activity_at = @activity_at, k_status = @k_status, k_id = @k_id,
           k_assistant = @k_assistant, k_model = @k_model, k_duration = @k_duration, k_tokens = @k_tokens,
           k_outcome = @k_outcome, k_metadata = @k_metadata, search_text = @search_text, body = @body
         WHERE id = @id`,
      ),
      deleteRun: db.prepare('DELETE FROM runs WHERE ord = ?'),
      deleteMetadata: db.prepare('DELETE FROM run_metadata WHERE run_ord = ?'),
      insertMetadata: db.prepare('INSERT OR IGNORE INTO run_metadata (run_ord, key, value) VALUES (?, ?, ?)'),
      getThread: db.prepare('SELECT body FROM threads WHERE id = ?').pluck(),
      insertThread: db.prepare(
        `INSERT INTO threads (id, created_at, body, search_text, last_activity_at)
         VALUES (@id, @created_at, @body, @search_text, @created_at)`,
      ),
      updateThread: db.prepare(
        'UPDATE threads SET created_at = @created_at, body = @body, search_text = @search_text WHERE id = @id',
      ),
      deleteThread: db.prepare('DELETE FROM threads WHERE id = ?'),
      adjustThread: db.prepare(
        `UPDATE threads SET run_count = run_count + @runs, active_run_count = active_run_count + @active,
           waiting_run_count = waiting_run_count + @waiting, last_activity_at = MAX(last_activity_at, @activity)
         WHERE id = @id`,
      ),
      recountThread: db.prepare(
        `UPDATE threads SET
           run_count = (SELECT COUNT(*) FROM runs WHERE thread_id = @id),
           active_run_count = (SELECT COUNT(*) FROM runs WHERE thread_id = @id AND k_status IN (${ACTIVE_RANKS})),
           waiting_run_count = (SELECT COUNT(*) FROM runs WHERE thread_id = @id AND k_status = ${statusRank('requires_action')}),
           last_activity_at = MAX(created_at, COALESCE((SELECT MAX(activity_at) FROM runs WHERE thread_id = @id), 0))
         WHERE id = @id`,
      ),
      totalRuns: db.prepare('SELECT SUM(run_count) FROM threads').pluck(),
      threadRuns: db.prepare('SELECT run_count FROM threads WHERE id = ?').pluck(),
      adjustStatusCount: db.prepare(
        `INSERT INTO status_counts (thread_id, k_status, n) VALUES (?, ?, ?)
         ON CONFLICT (thread_id, k_status) DO UPDATE SET n = n + excluded.n`,
      ),
      clearStatusCounts: db.prepare('DELETE FROM status_counts WHERE thread_id = ?'),
      recountStatuses: db.prepare(
        `INSERT INTO status_counts (thread_id, k_status, n)
         SELECT thread_id, k_status, COUNT(*) FROM runs WHERE thread_id = ? GROUP BY k_status`,
      ),
      runsOfThread: db.prepare('SELECT id, ord FROM runs WHERE thread_id = ?'),
      runOrdsOfThread: db.prepare('SELECT ord FROM runs WHERE thread_id = ?').pluck(),
    };
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: IndexChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs `work` in one SQLite transaction; the changes it made are reported once it commits. */
  transaction<T>(work: () => T): T {
    // Inside a transaction already: no savepoint (they cost more the larger the transaction); a failure
    // propagates and rolls the outer one back.
    if (this.pending) return work();
    this.pending = [];
    let changes: IndexChange[];
    let result: T;
    try {
      result = this.db.transaction(work)();
      changes = this.pending;
    } finally {
      this.pending = null;
    }
    for (const change of changes) this.report(change);
    return result;
  }

  /** Adds or replaces a run. Reports run.created / run.updated unless `quiet` (or nothing when it is unchanged). */
  upsertRun(wireRun: Run, quiet = false): 'created' | 'updated' | 'unchanged' {
    const run = this.withPreview(wireRun);
    const body = JSON.stringify(run);
    const stored = this.statements.getRun.get(run.id) as StoredRun | undefined;
    if (stored && stored.body === body) return 'unchanged';
    return this.transaction(() => {
      this.ensureThread(run);
      const row = this.row(run, body);
      let ord: number;
      let metadataChanged = true;
      if (stored) {
        const before = JSON.parse(stored.body) as Run;
        this.statements.updateRun.run(row);
        ord = stored.ord;
        if (stored.search_text !== row.search_text) {
          this.statements.deleteSearch.run(ord, stored.search_text);
          this.statements.insertSearch.run(ord, row.search_text);
        }
        metadataChanged = JSON.stringify(before.metadata) !== JSON.stringify(run.metadata);
        if (metadataChanged) this.statements.deleteMetadata.run(ord);
        if (before.thread_id === run.thread_id) {
          this.adjustThread(run.thread_id, 0, before, run);
          if (before.status !== run.status) {
            this.statements.adjustStatusCount.run(run.thread_id, statusRank(before.status), -1);
            this.statements.adjustStatusCount.run(run.thread_id, statusRank(run.status), 1);
          }
        } else this.recount([before.thread_id, run.thread_id]);
      } else {
        ord = Number(this.statements.insertRun.run(row).lastInsertRowid);
        this.statements.insertSearch.run(ord, row.search_text);
        this.adjustThread(run.thread_id, 1, null, run);
        this.statements.adjustStatusCount.run(run.thread_id, statusRank(run.status), 1);
      }
      if (metadataChanged) {
        for (const [key, value] of Object.entries(run.metadata ?? {})) {
          this.statements.insertMetadata.run(ord, key, value);
        }
      }
      if (!quiet) this.queue({ type: stored ? 'run.updated' : 'run.created', run });
      return stored ? 'updated' : 'created';
    });
  }

  deleteRun(runId: string): boolean {
    const stored = this.statements.getRun.get(runId) as StoredRun | undefined;
    if (!stored) return false;
    const run = JSON.parse(stored.body) as Run;
    this.transaction(() => {
      this.removeRow(stored.ord);
      this.recount([run.thread_id]);
      this.queue({ type: 'run.deleted', run_id: run.id, thread_id: run.thread_id });
    });
    return true;
  }

  upsertThread(thread: Thread, quiet = false): void {
    const body = JSON.stringify(thread);
    const stored = this.statements.getThread.get(thread.id) as string | undefined;
    if (stored === body) return;
    this.transaction(() => {
      const row = {
        id: thread.id,
        created_at: thread.created_at,
        body,
        search_text: threadSearchText(thread),
      };
      if (stored === undefined) this.statements.insertThread.run(row);
      else this.statements.updateThread.run(row);
      if (!quiet) this.queue({ type: stored === undefined ? 'thread.created' : 'thread.updated', thread });
    });
  }

  deleteThread(threadId: string): void {
    this.transaction(() => {
      for (const ord of this.statements.runOrdsOfThread.all(threadId) as number[]) this.removeRow(ord);
      this.statements.clearStatusCounts.run(threadId);
      const removed = this.statements.deleteThread.run(threadId).changes > 0;
      if (removed) this.queue({ type: 'thread.deleted', thread_id: threadId });
    });
  }

  hasThread(threadId: string): boolean {
    return this.statements.getThread.get(threadId) !== undefined;
  }

  /**
   * Makes a thread's indexed runs exactly `runs` (given oldest first, so ties keep creation order): adds, updates,
   * and removes what is no longer there. `report: 'changes'` reports each change; `'reset'` one reset for the thread
   * (a bulk seed or a first load: thousands of runs at once). Returns how many runs changed.
   */
  replaceThreadRuns(threadId: string, runs: Iterable<Run>, report: 'changes' | 'reset'): number {
    return this.transaction(() => {
      const left = new Map(
        (this.statements.runsOfThread.all(threadId) as Array<{ id: string; ord: number }>).map((row) => [
          row.id,
          row.ord,
        ]),
      );
      let changed = 0;
      for (const run of runs) {
        left.delete(run.id);
        if (this.upsertRun(run, report === 'reset') !== 'unchanged') changed++;
      }
      for (const runId of left.keys()) {
        if (report === 'reset') this.removeRow(left.get(runId)!);
        else this.deleteRun(runId);
        changed++;
      }
      this.recount([threadId]);
      if (report === 'reset' && changed > 0) {
        this.queue({ type: 'reset', reason: 'thread_reloaded', thread_ids: [threadId] });
      }
      return changed;
    });
  }

  /** Reports a reset to the listeners (many changes at once: clients refetch). */
  reset(reason: string, threadIds: string[] | null): void {
    this.transaction(() => this.queue({ type: 'reset', reason, thread_ids: threadIds }));
  }

  /** Refreshes the planner's statistics (after a bulk load): keeps each filter + sort on its best index. */
  analyze(): void {
    this.db.exec('ANALYZE');
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private removeRow(ord: number): void {
    const searchText = this.statements.getRunByOrd.get(ord) as string | undefined;
    if (searchText === undefined) return;
    this.statements.deleteSearch.run(ord, searchText);
    this.statements.deleteMetadata.run(ord);
    this.statements.deleteRun.run(ord);
  }

  /** How many runs are indexed in all, or in one thread: what the query planner weighs a filter against. */
  runCount(threadId: string | null): number {
    return (
      ((threadId === null ? this.statements.totalRuns.get() : this.statements.threadRuns.get(threadId)) as
        number | null) ?? 0
    );
  }

  private queue(change: IndexChange): void {
    if (this.pending) this.pending.push(change);
    else this.report(change);
  }

  private report(change: IndexChange): void {
    for (const listener of this.listeners) listener(change);
  }

  private ensureThread(run: Run): void {
    if (this.hasThread(run.thread_id)) return;
    // Known only by its runs so far (proxy mode, before the thread itself was read): completed when it is.
    this.upsertThread(
      { id: run.thread_id, object: 'thread', created_at: run.created_at, tool_resources: null, metadata: {} },
      true,
    );
  }

  private adjustThread(threadId: string, runs: number, before: Run | null, after: Run): void {
    const active = (run: Run | null) => (run && isActiveStatus(run.status) ? 1 : 0);
    const waiting = (run: Run | null) => (run?.status === 'requires_action' ? 1 : 0);
    this.statements.adjustThread.run({
      id: threadId,
      runs,
      active: active(after) - active(before),
      waiting: waiting(after) - waiting(before),
      activity: activityOf(after),
    });
  }

  private recount(threadIds: string[]): void {
    for (const id of new Set(threadIds)) {
      this.statements.recountThread.run({ id });
      this.statements.clearStatusCounts.run(id);
      this.statements.recountStatuses.run(id);
    }
  }

  /** The run as the query API sends it: its wire JSON (without any preview it came with) and its preview. */
  private withPreview(run: Run): IndexedRun {
    const { preview: _stale, ...wire } = run as IndexedRun;
    return { ...wire, preview: runPreview(wire, this.runMessages(wire)) };
  }

  private row(run: IndexedRun, body: string) {
    return {
      id: run.id,
      thread_id: run.thread_id,
      assistant_id: run.assistant_id,
      model: run.model,
      status: run.status,
      created_at: run.created_at,
      activity_at: activityOf(run),
      k_status: statusRank(run.status),
      k_id: naturalSortKey(run.id),
      k_assistant: naturalSortKey(run.assistant_id),
      k_model: naturalSortKey(run.model),
      k_duration: storedDuration(run),
      k_tokens: run.usage?.total_tokens ?? -1,
      k_outcome: naturalSortKey(outcomeText(run)),
      k_metadata: naturalSortKey(metadataText(run)),
      search_text: runSearchText(run),
      body,
    };
  }
}
