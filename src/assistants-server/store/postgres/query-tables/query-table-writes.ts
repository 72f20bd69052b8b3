import { isActiveStatus, type Run, type Thread } from '../../../../shared/openai-types';
import { runSearchText } from '../../../../shared/run-text';
import type { ChangeEvent, IndexedRun } from '../../../../shared/runs-query-types';
import type { LifecycleEvent } from '../../../events/lifecycle-events';
import {
  activityOf,
  QUERY_RUN_ROW_COLUMNS,
  queryRunRow,
  RUN_TOTALS_COLUMNS,
  SORT_KEY_COLUMNS,
  threadSearchText,
  totalsOf,
  withPreview,
  type RunTotals,
} from '../../query-rows/query-row';
import { grownPastPreview, type RunMessages } from '../../query-rows/run-preview';
import type { SqlQueryable } from '../sql-client';
import { jsonText, storable } from '../tables/pg-session';

type WithoutSeq<T> = T extends unknown ? Omit<T, 'seq'> : never;
/** A change of the query tables, as the change feed publishes it (the feed adds the seq). */
export type QueryChange = WithoutSeq<ChangeEvent>;

/** Every column a run's row is written with: `queryRunRow`'s, and the text a search reads (pg_trgm's GIN index). */
const RUN_COLUMNS = [...QUERY_RUN_ROW_COLUMNS, 'search_text'];

/** Each column's array type, for the bulk seed's `unnest`. */
const RUN_COLUMN_TYPES: Record<string, string> = {
  created_at: 'bigint',
  activity_at: 'bigint',
  usage_prompt: 'bigint',
  usage_completion: 'bigint',
  usage_total: 'bigint',
  ...Object.fromEntries(
    SORT_KEY_COLUMNS.map((sort) => [
      sort.column,
      !sort.numeric ? 'text' : sort.live ? 'double precision' : 'bigint',
    ]),
  ),
};
const typeOf = (column: string) => RUN_COLUMN_TYPES[column] ?? 'text';
const valueSql = (column: string, param: string) => (column === 'body' ? `${param}::jsonb` : param);

/** What a run's row is written with, in `RUN_COLUMNS` order. */
function runValues(run: IndexedRun): unknown[] {
  const row: Record<string, unknown> = {
    ...queryRunRow(run, jsonText(run)),
    search_text: storable(runSearchText(run)),
  };
  return RUN_COLUMNS.map((column) => row[column]);
}

interface StoredRun {
  ord: number;
  body: string;
  same: boolean;
}

/**
 * The PostgreSQL store's query tables (`query_runs`, `query_threads`, `query_run_totals`, `query_run_metadata`),
 * written in the transaction of each write of a run, thread or message, as SQLite's `RunIndex` writes its own: the
 * same rows (`query-rows/`), so `run-queries/` answers as SQLite's engine does. Returns what changed, for the feed.
 */
export class QueryTableWrites {
  constructor(
    private readonly db: SqlQueryable,
    /** The messages a run's preview reads, in the same transaction. */
    private readonly runMessages: (run: Run) => Promise<RunMessages>,
  ) {}

  async written(event: LifecycleEvent): Promise<QueryChange[]> {
    switch (event.object) {
      case 'run':
        // A run is never deleted on its own: a thread's deletion takes its runs (below).
        return event.change === 'deleted' ? [] : this.upsertRun(event.run);
      case 'thread':
        if (event.change === 'deleted') return this.deleteThread(event.thread.id);
        return this.upsertThread(event.thread);
      case 'message': {
        // A reply written (or grown) by a run changes that run's preview; a full preview no longer does.
        if (event.textDelta !== undefined && grownPastPreview(event.message, event.textDelta)) return [];
        const runId = event.message.run_id;
        if (!runId || event.change === 'deleted') return [];
        const { rows } = await this.db.query<{ body: string }>(
          'SELECT body::text AS body FROM runs WHERE id = $1',
          [runId],
        );
        return rows[0] ? this.upsertRun(JSON.parse(rows[0].body) as Run) : [];
      }
      case 'resync':
        return [{ type: 'reset', reason: event.reason, thread_ids: event.threadIds }];
      default:
        // Assistants and steps do not change the query tables.
        return [];
    }
  }

  /** A run as written: its row (or nothing when it is unchanged), metadata, thread counters and totals. */
  private async upsertRun(wireRun: Run): Promise<QueryChange[]> {
    const run = withPreview(wireRun, await this.runMessages(wireRun));
    const values = runValues(run);
    const bodyParam = RUN_COLUMNS.indexOf('body') + 1;
    const { rows } = await this.db.query<StoredRun>(
      `SELECT ord, body::text AS body, body = $2::jsonb AS same FROM query_runs WHERE id = $1`,
      [run.id, values[bodyParam - 1]],
    );
    const stored = rows[0];
    if (stored?.same) return [];
    await this.ensureThreads([run]);
    let ord: number;
    let metadataChanged = true;
    if (stored) {
      const before = JSON.parse(stored.body) as IndexedRun;
      ord = stored.ord;
      await this.db.query(
        `UPDATE query_runs SET ${RUN_COLUMNS.map((column, index) => `${column} = ${valueSql(column, `$${index + 2}`)}`).join(', ')}
         WHERE ord = $1`,
        [ord, ...values],
      );
      metadataChanged = JSON.stringify(before.metadata ?? {}) !== JSON.stringify(run.metadata ?? {});
      if (metadataChanged) await this.db.query('DELETE FROM query_run_metadata WHERE run_ord = $1', [ord]);
      // A run never moves to another thread.
      await this.adjustThread(run.thread_id, 0, before, run);
      await this.adjustTotals([totalsOf(before, -1), totalsOf(run, 1)]);
    } else {
      const inserted = await this.db.query<{ ord: number }>(
        `INSERT INTO query_runs (${RUN_COLUMNS.join(', ')})
         VALUES (${RUN_COLUMNS.map((column, index) => valueSql(column, `$${index + 1}`)).join(', ')}) RETURNING ord`,
        values,
      );
      ord = inserted.rows[0]!.ord;
      await this.adjustThread(run.thread_id, 1, null, run);
      await this.adjustTotals([totalsOf(run, 1)]);
    }
    if (metadataChanged) await this.insertMetadata([{ ord, run }]);
    return [{ type: stored ? 'run.updated' : 'run.created', run }];
  }

  private async upsertThread(thread: Thread): Promise<QueryChange[]> {
    const body = jsonText(thread);
    const { rows } = await this.db.query<{ same: boolean }>(
      'SELECT body = $2::jsonb AS same FROM query_threads WHERE id = $1',
      [thread.id, body],
    );
    if (rows[0]?.same) return [];
    const params = [thread.id, thread.created_at, body, storable(threadSearchText(thread))];
    if (rows[0]) {
      await this.db.query(
        'UPDATE query_threads SET created_at = $2, body = $3::jsonb, search_text = $4 WHERE id = $1',
        params,
      );
      return [{ type: 'thread.updated', thread }];
    }
    await this.db.query(
      `INSERT INTO query_threads (id, created_at, body, search_text, last_activity_at)
       VALUES ($1, $2, $3::jsonb, $4, $2)`,
      params,
    );
    return [{ type: 'thread.created', thread }];
  }

  private async deleteThread(threadId: string): Promise<QueryChange[]> {
    await this.db.query(
      'DELETE FROM query_run_metadata WHERE run_ord IN (SELECT ord FROM query_runs WHERE thread_id = $1)',
      [threadId],
    );
    await this.db.query('DELETE FROM query_runs WHERE thread_id = $1', [threadId]);
    await this.db.query('DELETE FROM query_run_totals WHERE thread_id = $1', [threadId]);
    const removed = await this.db.query('DELETE FROM query_threads WHERE id = $1', [threadId]);
    return removed.rowCount > 0 ? [{ type: 'thread.deleted', thread_id: threadId }] : [];
  }

  /**
   * The runs of a bulk seed (new, ended, without previews: as SQLite's `insertBulk`): their rows in one statement,
   * their metadata in another, each thread's counters and totals added once.
   */
  async bulkInserted(runs: readonly Run[]): Promise<void> {
    if (runs.length === 0) return;
    await this.ensureThreads(runs);
    const columns: unknown[][] = RUN_COLUMNS.map(() => []);
    for (const run of runs) runValues(run).forEach((value, index) => columns[index]!.push(value));
    const { rows } = await this.db.query<{ ord: number; id: string }>(
      `INSERT INTO query_runs (${RUN_COLUMNS.join(', ')})
       SELECT ${RUN_COLUMNS.map((column) => valueSql(column, column)).join(', ')}
       FROM unnest(${RUN_COLUMNS.map((column, index) => `$${index + 1}::${typeOf(column)}[]`).join(', ')})
         AS batch (${RUN_COLUMNS.join(', ')})
       RETURNING ord, id`,
      columns,
    );
    const ords = new Map(rows.map((row) => [row.id, row.ord]));
    await this.insertMetadata(runs.map((run) => ({ ord: ords.get(run.id)!, run })));

    const threads = new Map<string, { runs: number; active: number; waiting: number; activity: number }>();
    for (const run of runs) {
      const thread = threads.get(run.thread_id) ?? { runs: 0, active: 0, waiting: 0, activity: 0 };
      thread.runs++;
      if (isActiveStatus(run.status)) thread.active++;
      if (run.status === 'requires_action') thread.waiting++;
      thread.activity = Math.max(thread.activity, activityOf(run));
      threads.set(run.thread_id, thread);
    }
    for (const [threadId, thread] of threads) {
      await this.db.query(
        `UPDATE query_threads SET run_count = run_count + $2, active_run_count = active_run_count + $3,
           waiting_run_count = waiting_run_count + $4, last_activity_at = GREATEST(last_activity_at, $5)
         WHERE id = $1`,
        [threadId, thread.runs, thread.active, thread.waiting, thread.activity],
      );
    }
    await this.adjustTotals(runs.map((run) => totalsOf(run, 1)));
  }

  /** A thread known only by its runs so far gets a row, completed when the thread itself is written. */
  private async ensureThreads(runs: readonly Run[]): Promise<void> {
    const threads = new Map(runs.map((run) => [run.thread_id, run.created_at]));
    await this.db.query(
      `INSERT INTO query_threads (id, created_at, body, search_text, last_activity_at)
       SELECT id, created_at,
         jsonb_build_object('id', id, 'object', 'thread', 'created_at', created_at, 'tool_resources', null,
           'metadata', '{}'::jsonb),
         lower(id), created_at
       FROM unnest($1::text[], $2::bigint[]) AS thread (id, created_at)
       ON CONFLICT (id) DO NOTHING`,
      [[...threads.keys()], [...threads.values()]],
    );
  }

  private async insertMetadata(runs: Array<{ ord: number; run: Run }>): Promise<void> {
    const ords: number[] = [];
    const keys: string[] = [];
    const values: string[] = [];
    for (const { ord, run } of runs) {
      for (const [key, value] of Object.entries(run.metadata ?? {})) {
        ords.push(ord);
        keys.push(storable(key));
        values.push(storable(value));
      }
    }
    if (ords.length === 0) return;
    await this.db.query(
      `INSERT INTO query_run_metadata (run_ord, key, value)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
      [ords, keys, values],
    );
  }

  private async adjustThread(threadId: string, runs: number, before: Run | null, after: Run): Promise<void> {
    const active = (run: Run | null) => (run && isActiveStatus(run.status) ? 1 : 0);
    const waiting = (run: Run | null) => (run?.status === 'requires_action' ? 1 : 0);
    await this.db.query(
      `UPDATE query_threads SET run_count = run_count + $2, active_run_count = active_run_count + $3,
         waiting_run_count = waiting_run_count + $4, last_activity_at = GREATEST(last_activity_at, $5)
       WHERE id = $1`,
      [threadId, runs, active(after) - active(before), waiting(after) - waiting(before), activityOf(after)],
    );
  }

  /** Adds each row to `query_run_totals` (one statement for all, rows of one key summed first). */
  private async adjustTotals(added: RunTotals[]): Promise<void> {
    const summed = new Map<string, RunTotals>();
    for (const row of added) {
      const key = `${row.thread_id} ${row.k_status} ${row.model}`;
      const sums = summed.get(key);
      if (!sums) summed.set(key, { ...row });
      else {
        sums.n += row.n;
        sums.runs_with_usage += row.runs_with_usage;
        sums.prompt_tokens += row.prompt_tokens;
        sums.completion_tokens += row.completion_tokens;
        sums.total_tokens += row.total_tokens;
      }
    }
    const rows = [...summed.values()];
    const columns = RUN_TOTALS_COLUMNS;
    const types = ['text', 'integer', 'text', 'bigint', 'bigint', 'bigint', 'bigint', 'bigint'];
    const sums = columns.slice(3);
    await this.db.query(
      `INSERT INTO query_run_totals (${columns.join(', ')})
       SELECT * FROM unnest(${types.map((type, index) => `$${index + 1}::${type}[]`).join(', ')})
       ON CONFLICT (thread_id, k_status, model) DO UPDATE SET
         ${sums.map((column) => `${column} = query_run_totals.${column} + excluded.${column}`).join(', ')}`,
      columns.map((column) => rows.map((row) => row[column])),
    );
  }
}
