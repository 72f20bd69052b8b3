import { ACTIVE_RUN_STATUSES, isActiveStatus, type Run, type Thread } from '../../shared/openai-types';
import type { Logger } from '../../platform/logger';
import { statusRank } from '../../shared/run-sort-keys';
import type { ChangeEvent, IndexedRun } from '../../shared/runs-query-types';
import { migrateIndexShape } from './run-index-migration';
import { ensureIndexSchema, readsStoreBodies, runBodySql, type IndexDb } from './run-index-schema';
import { RunTextIndex, TEXT_INDEX_TABLES } from './run-text-index';
import { NO_RUN_MESSAGES, type RunMessages } from '../../assistants-server/store/query-rows/run-preview';
import {
  activityOf,
  QUERY_RUN_ROW_COLUMNS,
  queryRunRow,
  threadSearchText,
  totalsOf,
  withPreview,
  type RunTotals,
} from '../../assistants-server/store/query-rows/query-row';

/** SQLite's page cache for the index's connection, in KiB: bounded, whatever the number of runs. */
const CACHE_KIB = 64 * 1024;
/**
 * During a bulk load: the whole load is one transaction, and its pages (rows, indexes, trigram segments) are
 * written several times over; held in the cache they are written once instead of spilled and read back.
 */
const BULK_CACHE_KIB = 256 * 1024;

/** `query_index_state`'s key of the number of runs the planner's statistics were taken at. */
const ANALYZED_RUNS = 'analyzed_runs';

const ACTIVE_RANKS = ACTIVE_RUN_STATUSES.map(statusRank).join(', ');

type WithoutSeq<T> = T extends unknown ? Omit<T, 'seq'> : never;
/** A change the index made, as the change feed publishes it (the feed adds the seq). */
export type IndexChange = WithoutSeq<ChangeEvent>;
export type IndexChangeListener = (change: IndexChange) => void;

interface ThreadTotals {
  runs: number;
  active: number;
  waiting: number;
  activity: number;
  /** By status rank and model. */
  byStatusAndModel: Map<string, RunTotals>;
}

interface StoredRun {
  ord: number;
  status: string;
  activity_at: number;
  body: string;
}

export interface RunIndexOptions {
  /**
   * When the index shares its database with a store that opens the transactions (the emulator), how to wait for the
   * outermost one to commit before reporting what the index changed in it.
   */
  afterCommit?: (callback: () => void) => void;
  /** Where a migration of an index written by an earlier version reports its progress. */
  logger?: Logger;
}

/**
 * Runboard's query index of runs and threads (one engine for both modes): in the emulator's database, written in the
 * transaction of each run and thread write; in proxy mode, in its own file, filled by the upstream poller. Every
 * write that changes something is reported to the listeners (the change feed) after its transaction commits, so a
 * client that refetches on a change sees it.
 */
export class RunIndex {
  private readonly listeners = new Set<IndexChangeListener>();
  private pending: IndexChange[] | null = null;
  private readonly statements;
  private readonly text: RunTextIndex;
  /** Bulk-loaded runs keep their body in the store's row only (`runBodySql`). */
  private readonly storeBodies: boolean;
  /** The messages a run's preview reads; the source sets it (the emulator's; proxy mode knows none). */
  runMessages: (run: Run) => RunMessages = () => NO_RUN_MESSAGES;

  constructor(
    readonly db: IndexDb,
    private readonly options: RunIndexOptions = {},
  ) {
    ensureIndexSchema(db);
    migrateIndexShape(db, options.logger);
    db.pragma(`cache_size = -${CACHE_KIB}`);
    this.text = new RunTextIndex(db);
    this.storeBodies = readsStoreBodies(db);
    const body = runBodySql(db);
    this.statements = {
      getRun: db.prepare(`SELECT ord, status, activity_at, ${body} AS body FROM query_runs WHERE id = ?`),
      bodyOf: db.prepare(`SELECT ${body} FROM query_runs WHERE ord = ?`).pluck(),
      insertRun: db.prepare(
        `INSERT INTO query_runs (${QUERY_RUN_ROW_COLUMNS.join(', ')})
         VALUES (${QUERY_RUN_ROW_COLUMNS.map((column) => `@${column}`).join(', ')})`,
      ),
      updateRun: db.prepare(
        `UPDATE query_runs SET ${QUERY_RUN_ROW_COLUMNS.filter((column) => column !== 'id')
          .map((column) => `${column} = @${column}`)
          .join(', ')}
         WHERE id = @id`,
      ),
      deleteRun: db.prepare('DELETE FROM query_runs WHERE ord = ?'),
      deleteMetadata: db.prepare('DELETE FROM query_run_metadata WHERE run_ord = ?'),
      insertMetadata: db.prepare(
        'INSERT OR IGNORE INTO query_run_metadata (run_ord, key, value) VALUES (?, ?, ?)',
      ),
      getThread: db.prepare('SELECT body FROM query_threads WHERE id = ?').pluck(),
      insertThread: db.prepare(
        `INSERT INTO query_threads (id, created_at, body, search_text, last_activity_at)
         VALUES (@id, @created_at, @body, @search_text, @created_at)`,
      ),
      updateThread: db.prepare(
        'UPDATE query_threads SET created_at = @created_at, body = @body, search_text = @search_text WHERE id = @id',
      ),
      deleteThread: db.prepare('DELETE FROM query_threads WHERE id = ?'),
      adjustThread: db.prepare(
        `UPDATE query_threads SET run_count = run_count + @runs, active_run_count = active_run_count + @active,
           waiting_run_count = waiting_run_count + @waiting, last_activity_at = MAX(last_activity_at, @activity)
         WHERE id = @id`,
      ),
      recountThread: db.prepare(
        `UPDATE query_threads SET
           run_count = (SELECT COUNT(*) FROM query_runs WHERE thread_id = @id),
           active_run_count = (SELECT COUNT(*) FROM query_runs WHERE thread_id = @id AND k_status IN (${ACTIVE_RANKS})),
           waiting_run_count = (SELECT COUNT(*) FROM query_runs WHERE thread_id = @id AND k_status = ${statusRank('requires_action')}),
           last_activity_at = MAX(created_at, COALESCE((SELECT MAX(activity_at) FROM query_runs WHERE thread_id = @id), 0))
         WHERE id = @id`,
      ),
      totalRuns: db.prepare('SELECT SUM(n) FROM query_run_totals_all').pluck(),
      threadRuns: db.prepare('SELECT run_count FROM query_threads WHERE id = ?').pluck(),
      adjustTotals: db.prepare(
        `INSERT INTO query_run_totals (thread_id, k_status, model, n, runs_with_usage, prompt_tokens,
           completion_tokens, total_tokens)
         VALUES (@thread_id, @k_status, @model, @n, @runs_with_usage, @prompt_tokens, @completion_tokens, @total_tokens)
         ON CONFLICT (thread_id, k_status, model) DO UPDATE SET n = n + excluded.n,
           runs_with_usage = runs_with_usage + excluded.runs_with_usage,
           prompt_tokens = prompt_tokens + excluded.prompt_tokens,
           completion_tokens = completion_tokens + excluded.completion_tokens,
           total_tokens = total_tokens + excluded.total_tokens`,
      ),
      clearTotals: db.prepare('DELETE FROM query_run_totals WHERE thread_id = ?'),
      recountTotals: db.prepare(
        `INSERT INTO query_run_totals (thread_id, k_status, model, n, runs_with_usage, prompt_tokens,
           completion_tokens, total_tokens)
         SELECT thread_id, k_status, model, COUNT(*), COUNT(usage_total), COALESCE(SUM(usage_prompt), 0),
           COALESCE(SUM(usage_completion), 0), COALESCE(SUM(usage_total), 0)
         FROM query_runs WHERE thread_id = ? GROUP BY k_status, model`,
      ),
      runsOfThread: db.prepare('SELECT id, ord FROM query_runs WHERE thread_id = ?'),
      runOrdsOfThread: db.prepare('SELECT ord FROM query_runs WHERE thread_id = ?').pluck(),
      activeRunIds: db
        .prepare('SELECT id FROM query_runs WHERE thread_id = ? AND k_duration IS NULL')
        .pluck(),
      hasRun: db.prepare('SELECT 1 FROM query_runs WHERE id = ?').pluck(),
      storedRun: db.prepare(`SELECT ${body} FROM query_runs WHERE id = ?`).pluck(),
      runIdsOfThread: db.prepare('SELECT id FROM query_runs WHERE thread_id = ?').pluck(),
      threadCount: db.prepare('SELECT COUNT(*) FROM query_threads').pluck(),
      getState: db.prepare('SELECT value FROM query_index_state WHERE key = ?').pluck(),
      setState: db.prepare(
        'INSERT INTO query_index_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
    };
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: IndexChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs `work` in one SQLite transaction, or in the store's transaction in progress (the emulator's write it
   * reflects); the changes it made are reported once the outermost one commits.
   */
  transaction<T>(work: () => T): T {
    // Inside a transaction already: no savepoint (they cost more the larger the transaction); a failure
    // propagates and rolls the outer one back.
    if (this.pending) return work();
    this.pending = [];
    const outer = this.db.inTransaction;
    let changes: IndexChange[];
    let result: T;
    try {
      result = outer ? work() : this.db.transaction(work)();
      changes = this.pending;
    } finally {
      this.pending = null;
    }
    const report = () => {
      for (const change of changes) this.report(change);
    };
    if (changes.length === 0) return result;
    if (outer && this.options.afterCommit) this.options.afterCommit(report);
    else report();
    return result;
  }

  /** Adds or replaces a run. Reports run.created / run.updated unless `quiet` (or nothing when it is unchanged). */
  upsertRun(wireRun: Run, quiet = false): 'created' | 'updated' | 'unchanged' {
    const run = withPreview(wireRun, this.runMessages(wireRun));
    const body = JSON.stringify(run);
    const stored = this.statements.getRun.get(run.id) as StoredRun | undefined;
    if (stored && stored.body === body) return 'unchanged';
    return this.transaction(() => {
      this.ensureThread(run);
      const row = queryRunRow(run, body);
      let ord: number;
      let metadataChanged = true;
      if (stored) {
        const before = JSON.parse(stored.body) as IndexedRun;
        this.statements.updateRun.run(row);
        ord = stored.ord;
        this.text.update(ord, before, run);
        metadataChanged = JSON.stringify(before.metadata) !== JSON.stringify(run.metadata);
        if (metadataChanged) this.statements.deleteMetadata.run(ord);
        if (before.thread_id === run.thread_id) {
          this.adjustThread(run.thread_id, 0, before, run);
          this.statements.adjustTotals.run(totalsOf(before, -1));
          this.statements.adjustTotals.run(totalsOf(run, 1));
        } else this.recount([before.thread_id, run.thread_id]);
      } else {
        ord = Number(this.statements.insertRun.run(row).lastInsertRowid);
        this.text.add(ord, run);
        this.adjustThread(run.thread_id, 1, null, run);
        this.statements.adjustTotals.run(totalsOf(run, 1));
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

  /**
   * Adds the runs of a bulk load quietly (the loader reports one reset): each is new (the store has just inserted
   * it: its id is unique there), and is its row, its text's entry and its metadata; each thread's totals are added
   * once at the end. In the emulator's database the row's body is the store's (`runBodySql`): written once. Reads
   * `runs` once, to the end. Returns how many runs it read.
   */
  insertBulk(runs: Iterable<Run>): number {
    this.db.pragma(`cache_size = -${BULK_CACHE_KIB}`);
    try {
      return this.insertBulkRows(runs);
    } finally {
      this.db.pragma(`cache_size = -${CACHE_KIB}`);
    }
  }

  private insertBulkRows(runs: Iterable<Run>): number {
    return this.transaction(() => {
      const totals = new Map<string, ThreadTotals>();
      let count = 0;
      for (const run of runs) {
        count++;
        let threadTotals = totals.get(run.thread_id);
        if (!threadTotals) {
          this.ensureThread(run);
          threadTotals = { runs: 0, active: 0, waiting: 0, activity: 0, byStatusAndModel: new Map() };
          totals.set(run.thread_id, threadTotals);
        }
        const row = queryRunRow(run, this.storeBodies ? '' : JSON.stringify(run));
        const ord = Number(this.statements.insertRun.run(row).lastInsertRowid);
        this.text.add(ord, run);
        for (const [key, value] of Object.entries(run.metadata ?? {})) {
          this.statements.insertMetadata.run(ord, key, value);
        }
        threadTotals.runs++;
        if (isActiveStatus(run.status)) threadTotals.active++;
        if (run.status === 'requires_action') threadTotals.waiting++;
        threadTotals.activity = Math.max(threadTotals.activity, row.activity_at);
        const added = totalsOf(run, 1);
        const key = `${added.k_status} ${run.model}`;
        const sums = threadTotals.byStatusAndModel.get(key);
        if (sums) {
          sums.n++;
          sums.runs_with_usage += added.runs_with_usage;
          sums.prompt_tokens += added.prompt_tokens;
          sums.completion_tokens += added.completion_tokens;
          sums.total_tokens += added.total_tokens;
        } else threadTotals.byStatusAndModel.set(key, added);
      }
      for (const [threadId, threadTotals] of totals) {
        this.statements.adjustThread.run({
          id: threadId,
          runs: threadTotals.runs,
          active: threadTotals.active,
          waiting: threadTotals.waiting,
          activity: threadTotals.activity,
        });
        for (const sums of threadTotals.byStatusAndModel.values()) this.statements.adjustTotals.run(sums);
      }
      return count;
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
      this.statements.clearTotals.run(threadId);
      const removed = this.statements.deleteThread.run(threadId).changes > 0;
      if (removed) this.queue({ type: 'thread.deleted', thread_id: threadId });
    });
    // Threads go one at a time, and the one that empties most of the index is any of them.
    this.analyzeWhenResized();
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

  /**
   * Refreshes the planner's statistics (after a bulk load): keeps each filter + sort on its best index. Sampled
   * (`analysis_limit`), so it costs the same at any size.
   */
  analyze(): void {
    this.db.pragma('analysis_limit = 1000');
    for (const table of ['query_runs', 'query_threads', 'query_run_metadata'])
      this.db.exec(`ANALYZE ${table}`);
    this.statements.setState.run(ANALYZED_RUNS, String(this.runCount(null)));
  }

  /**
   * `analyze` once the runs have doubled since the statistics were taken (a bulk load), or fallen to half (threads
   * holding most of them deleted): statistics of a table many times larger (or smaller) than it is mislead the
   * planner. Within those bounds the same data in more or fewer rows keeps its choices, and a sampled ANALYZE still
   * reads more of a larger index, so analyzing after every seed made each one cost more than the last. Deleting
   * threads from 1M runs down to 50k takes them four times (near 500k, 250k, 125k and 62k), each sampled.
   */
  analyzeWhenResized(): void {
    const analyzed = Number(this.statements.getState.get(ANALYZED_RUNS) ?? 0);
    const runs = this.runCount(null);
    if (analyzed === 0 ? runs > 0 : runs >= 2 * analyzed || runs <= analyzed / 2) this.analyze();
  }

  /** What the index was built from (`query_index_state`), or null: proxy mode fills it, the emulator builds once. */
  builtFrom(): string | null {
    return (this.statements.getState.get('built_from') as string | undefined) ?? null;
  }

  markBuiltFrom(source: string): void {
    this.statements.setState.run('built_from', source);
  }

  /** Removes every run and thread (before a build from scratch), without reporting. */
  clear(): void {
    this.transaction(() => {
      const tables = [
        'query_run_metadata',
        'query_run_totals',
        'query_run_totals_all',
        'query_runs',
        'query_threads',
      ];
      for (const table of [...tables, ...TEXT_INDEX_TABLES]) this.db.exec(`DELETE FROM ${table}`);
      this.db.exec("INSERT INTO query_run_text (query_run_text) VALUES ('delete-all')");
    });
  }

  hasRun(runId: string): boolean {
    return this.statements.hasRun.get(runId) !== undefined;
  }

  /** A run's wire JSON as indexed; null when the index does not hold it. */
  storedRun(runId: string): Run | null {
    const body = this.statements.storedRun.get(runId) as string | undefined;
    return body === undefined ? null : (JSON.parse(body) as Run);
  }

  runIdsOfThread(threadId: string): string[] {
    return this.statements.runIdsOfThread.all(threadId) as string[];
  }

  /** The ids of a thread's active runs (their duration is not stored yet). */
  activeRunIds(threadId: string): string[] {
    return this.statements.activeRunIds.all(threadId) as string[];
  }

  threadCount(): number {
    return this.statements.threadCount.get() as number;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private removeRow(ord: number): void {
    const body = this.statements.bodyOf.get(ord) as string | undefined;
    if (body === undefined) return;
    this.text.delete(ord, JSON.parse(body) as IndexedRun);
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
      this.statements.clearTotals.run(id);
      this.statements.recountTotals.run(id);
    }
  }
}
