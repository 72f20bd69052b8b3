import { RUN_STATUSES, type RunStatus } from '../../../../shared/openai-types';
import type { RunsTimeseries } from '../../../../shared/runs-query-types';
import {
  keptTotalsAnswer,
  sumUsage,
  type ModelUsageRow,
  type RunFilter,
  type RunPageRequest,
  type RunPageResult,
  type RunUsage,
} from '../../run-query-request';
import type { SqlQueryable } from '../sql-client';
import { keptTotalsWhere, runWhere, SqlParams, whereClause } from './run-filter-sql';
import { planMatches, planTextSearch, type TextSearchPlan } from './text-search-plan';
import { nextCursorOf, readPageRows, readTextPage, type PageRow } from './run-page';
import { readRunTimeseries } from './run-timeseries';
import {
  readThreadSummaries,
  type ThreadSummariesRequest,
  type ThreadSummariesResult,
} from './thread-summaries';
import type { TimeseriesRange } from '../../run-timeseries-buckets';

/** Runs per status (every status present, 0 when none) and in all. */
export interface RunCounts {
  byStatus: Record<RunStatus, number>;
  total: number;
}

export type { RunUsage };

/** The named assistants (id → name): a text search also looks in a run's assistant's name. */
export type AssistantNames = () => ReadonlyMap<string, string> | Promise<ReadonlyMap<string, string>>;

function countsOf(rows: Array<{ rank: number; n: number }>): RunCounts {
  const byStatus = Object.fromEntries(RUN_STATUSES.map((status) => [status, 0])) as Record<RunStatus, number>;
  for (const row of rows) byStatus[RUN_STATUSES[row.rank]!] = row.n;
  return { byStatus, total: rows.reduce((total, row) => total + row.n, 0) };
}

/**
 * The rows a count reads (a FROM item): a text search alone's matches from its plan (`planMatches`: its texts' runs
 * in `query_run_search`, and its threads' runs the texts do not find); else the filter's in `query_runs`.
 */
function countedRows(
  filter: RunFilter,
  params: SqlParams,
  withStatus: boolean,
  names: ReadonlyMap<string, string>,
  plan: TextSearchPlan | null,
): string {
  if (plan) return `(${planMatches(plan, params, 'k_status', withStatus)}) AS matches`;
  return `query_runs ${whereClause(runWhere(filter, params, withStatus, names))}`;
}

/**
 * The query API's reads (`/api/runs` pages and counts, usage, time series, the thread list) answered by PostgreSQL from the query tables of
 * migration 1: the same inputs and answers as SQLite's `RunsQueryEngine` (server/run-index/runs-query.ts), async.
 * Paging is keyset on (sort value, ord), an index range from where the previous page ended. Counts and usage by
 * thread, status and model only read the kept totals (`query_run_totals`), never the runs.
 */
export class PostgresRunQueries {
  constructor(
    private readonly db: SqlQueryable,
    private readonly assistantNames: AssistantNames = () => new Map(),
  ) {}

  async page(asked: RunPageRequest): Promise<RunPageResult> {
    const names = await this.assistantNames();
    const { filter, plan } = await this.plan(asked.filter, names);
    const request = { ...asked, filter };
    let total: number | null;
    let rows: PageRow[];
    if (plan) {
      ({ rows, total } = await readTextPage(this.db, request, plan));
      // No row after the cursor (the last page): counted apart.
      total ??= await this.matching(filter, names, plan);
    } else {
      [total, rows] = await Promise.all([
        this.matching(filter, names, plan),
        readPageRows(this.db, request, names),
      ]);
    }
    return {
      bodies: rows.slice(0, request.limit).map((row) => JSON.stringify(row.body)),
      nextCursor: nextCursorOf(request, rows),
      total,
    };
  }

  /** Runs per status for the filter (its statuses ignored), every status present. */
  async counts(filter: RunFilter): Promise<RunCounts> {
    const everyStatus = { ...filter, statuses: undefined };
    if (keptTotalsAnswer(everyStatus)) return this.keptCounts(everyStatus);
    const names = await this.assistantNames();
    const { filter: planned, plan } = await this.plan(filter, names);
    const plannedEvery = { ...planned, statuses: undefined };
    if (keptTotalsAnswer(plannedEvery)) return this.keptCounts(plannedEvery);
    const params = new SqlParams();
    const rows = countedRows(planned, params, false, names, plan);
    const { rows: counted } = await this.db.query<{ rank: number; n: number }>(
      `SELECT k_status AS rank, COUNT(*) AS n FROM ${rows} GROUP BY k_status`,
      params.values,
    );
    return countsOf(counted);
  }

  /** Token usage summed over the runs matching `filter` (statuses included), then per model. */
  async usage(filter: RunFilter): Promise<RunUsage> {
    const params = new SqlParams();
    let sql: string;
    if (keptTotalsAnswer(filter)) {
      sql = `SELECT model, SUM(n)::bigint AS runs, SUM(runs_with_usage)::bigint AS runs_with_usage,
          SUM(prompt_tokens)::bigint AS prompt_tokens, SUM(completion_tokens)::bigint AS completion_tokens,
          SUM(total_tokens)::bigint AS total_tokens
        FROM query_run_totals ${whereClause(keptTotalsWhere(filter, params))}
        GROUP BY model HAVING SUM(n) > 0`;
    } else {
      const where = runWhere(filter, params, true, await this.assistantNames());
      sql = `SELECT model, COUNT(*) AS runs, COUNT(usage_total) AS runs_with_usage,
          COALESCE(SUM(usage_prompt), 0)::bigint AS prompt_tokens,
          COALESCE(SUM(usage_completion), 0)::bigint AS completion_tokens,
          COALESCE(SUM(usage_total), 0)::bigint AS total_tokens
        FROM query_runs ${whereClause(where)} GROUP BY model`;
    }
    const { rows } = await this.db.query<ModelUsageRow>(sql, params.values);
    return sumUsage(rows);
  }

  /** Runs per interval of their creation and per status, with their usage (GET /api/runs/timeseries). */
  async timeseries(
    filter: RunFilter,
    range: TimeseriesRange,
  ): Promise<Omit<RunsTimeseries, 'coverage' | 'feed_seq'>> {
    return readRunTimeseries(this.db, filter, range, await this.assistantNames());
  }

  /** The threads, newest activity first, with their run counts (GET /api/threads). */
  async threads(request: ThreadSummariesRequest): Promise<ThreadSummariesResult> {
    return readThreadSummaries(this.db, request);
  }

  /** How many threads are kept: all of them, or 1 or 0 for one thread (what an answer covers). */
  async threadCount(threadId: string | null): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      threadId === null
        ? 'SELECT COUNT(*) AS n FROM query_threads'
        : 'SELECT COUNT(*) AS n FROM query_threads WHERE id = $1',
      threadId === null ? [] : [threadId],
    );
    return rows[0]?.n ?? 0;
  }

  /** Each thread's run count (0 for a thread not kept). */
  async runCounts(threadIds: readonly string[]): Promise<Map<string, number>> {
    const { rows } = await this.db.query<{ id: string; run_count: number }>(
      'SELECT id, run_count FROM query_threads WHERE id = ANY($1::text[])',
      [threadIds],
    );
    const counts = new Map(rows.map((row) => [row.id, row.run_count]));
    return new Map(threadIds.map((id) => [id, counts.get(id) ?? 0]));
  }

  /**
   * A text search alone resolved against the distinct texts (`planTextSearch`); a search that every text holds (a
   * model's name) filters nothing and is dropped, so the kept totals count it.
   */
  private async plan(
    filter: RunFilter,
    names: ReadonlyMap<string, string>,
  ): Promise<{ filter: RunFilter; plan: TextSearchPlan | null }> {
    if (keptTotalsAnswer(filter)) return { filter, plan: null };
    const plan = await planTextSearch(this.db, filter, names);
    if (plan === 'every run') return { filter: { ...filter, q: undefined }, plan: null };
    return { filter, plan };
  }

  /** How many runs match the filter, statuses included (a page's `total`). */
  private async matching(
    filter: RunFilter,
    names: ReadonlyMap<string, string>,
    plan: TextSearchPlan | null,
  ): Promise<number> {
    if (keptTotalsAnswer(filter)) return (await this.keptCounts(filter)).total;
    const params = new SqlParams();
    const { rows } = await this.db.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM ${countedRows(filter, params, true, names, plan)}`,
      params.values,
    );
    return rows[0]?.n ?? 0;
  }

  private async keptCounts(filter: RunFilter): Promise<RunCounts> {
    const params = new SqlParams();
    const { rows } = await this.db.query<{ rank: number; n: number }>(
      `SELECT k_status AS rank, SUM(n)::bigint AS n FROM query_run_totals
       ${whereClause(keptTotalsWhere(filter, params))} GROUP BY k_status`,
      params.values,
    );
    return countsOf(rows);
  }
}
