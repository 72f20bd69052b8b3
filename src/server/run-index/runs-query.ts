import { RUN_STATUSES, type RunStatus } from '../../shared/openai-types';
import { compareComparable, statusRank } from '../../shared/run-sort-keys';
import {
  keptTotalsAnswer,
  sumUsage,
  type ModelUsageRow,
  type RunFilter,
  type RunPageRequest,
  type RunPageResult,
  type RunUsage,
} from '../../assistants-server/store/run-query-request';
import { encodeRunCursor } from './run-cursor';
import { runBodySql, sortColumn, statusSortIndex, type IndexDb } from './run-index-schema';
import { textMatchRuns } from './run-text-index';
import {
  idStartParams,
  idStartRuns,
  TextSearch,
  textConditions,
  type TextReading,
  type TextSearchPlan,
  type WordPlaces,
} from './text-search';

export type { RunFilter, RunPageRequest, RunPageResult };

type Params = Record<string, string | number>;
interface PageRow {
  body: string;
  k: number | string;
  ord: number;
}

/**
 * The WHERE terms of a filter (and their parameters in `params`): shared by the page, counts, usage and time series.
 * `plan` is the filter's text search resolved by `TextSearch.plan`. Read `filter-set`, the read starts from the runs
 * of the plan's looked-up places (`TextSearch.splitFew`'s few threads): the filter's own terms, as the text's
 * matches, only filter them (`+column`: SQLite uses no index for them, not a model's or a day's many runs).
 */
export function whereOf(
  filter: RunFilter,
  params: Params,
  withStatus: boolean,
  plan: TextSearchPlan | null,
  reading: TextReading = 'set',
): string[] {
  const where: string[] = [];
  const only = reading === 'filter-set' ? '+' : '';
  if (filter.threadId !== undefined) {
    where.push(`${only}thread_id = @thread_id`);
    params.thread_id = filter.threadId;
  }
  if (withStatus && filter.statuses && filter.statuses.length > 0) {
    // Validated statuses only: their ranks are literal integers.
    where.push(`${only}k_status IN (${filter.statuses.map(statusRank).join(', ')})`);
  }
  if (filter.assistantId !== undefined) {
    where.push(`${only}assistant_id = @assistant_id`);
    params.assistant_id = filter.assistantId;
  }
  if (filter.model !== undefined) {
    where.push(`${only}model = @model`);
    params.model = filter.model;
  }
  if (filter.createdAfter !== undefined) {
    where.push(`${only}created_at >= @created_after`);
    params.created_after = filter.createdAfter;
  }
  if (filter.createdBefore !== undefined) {
    where.push(`${only}created_at <= @created_before`);
    params.created_before = filter.createdBefore;
  }
  if (filter.metadataKey !== undefined) {
    params.metadata_key = filter.metadataKey;
    const runs = `${only}ord IN (SELECT run_ord FROM query_run_metadata WHERE key = @metadata_key`;
    if (filter.metadataValue !== undefined) {
      params.metadata_value = filter.metadataValue;
      where.push(`${runs} AND value = @metadata_value)`);
    } else {
      where.push(`${runs})`);
    }
  }
  // An id, whole or its start, is a word like any other (`text-search.ts`): a run's id matches by its start.
  if (plan) where.push(...textConditions(plan, params, reading));
  return where;
}

/**
 * Runs of the threads a search's word is in, at most, for its count to read them from their index (not rows), and for
 * a page to read and sort them beside the text's matches (`fewKeys`).
 */
const FEW_THREAD_RUNS = 20_000;

/** The filter without its text search when the search filters nothing (`TextSearch.filtersNothing`). */
function withoutVoidSearch(filter: RunFilter, plan: TextSearchPlan | null): RunFilter {
  return TextSearch.filtersNothing(plan) ? { ...filter, q: undefined } : filter;
}

function tally(rows: Array<{ rank: number; n: number }>): {
  byStatus: Record<RunStatus, number>;
  total: number;
} {
  const byStatus = Object.fromEntries(RUN_STATUSES.map((status) => [status, 0])) as Record<RunStatus, number>;
  let total = 0;
  for (const row of rows) {
    byStatus[RUN_STATUSES[row.rank]!] = row.n;
    total += row.n;
  }
  return { byStatus, total };
}

/** Whether a filter is a text search and statuses at most. */
const onlyTextAndStatuses = (filter: RunFilter) =>
  Object.entries(filter).every(([key, value]) => value === undefined || key === 'statuses' || key === 'q');

const clause = (where: string[]) => (where.length > 0 ? `WHERE ${where.join(' AND ')}` : '');

/**
 * The query engine of `/api/runs` and `/api/runs/counts`, over the index (same in both modes). Paging is keyset on
 * (sort value, ord): each page is an index range scan from where the previous one ended, so it stays correct while
 * runs arrive, and costs the same at any depth.
 */
export class RunsQueryEngine {
  private readonly cache = new Map<string, ReturnType<IndexDb['prepare']>>();
  readonly textSearch: TextSearch;
  /** A row's body: its own, or the store's for a bulk-loaded run (`runBodySql`). */
  private readonly bodySql: string;

  constructor(
    private readonly db: IndexDb,
    private readonly runCount: (threadId: string | null) => number,
    /** The named assistants (id → name): a text search also looks in a run's assistant's name. */
    assistantNames: () => ReadonlyMap<string, string> = () => new Map(),
  ) {
    this.textSearch = new TextSearch(db, assistantNames);
    this.bodySql = runBodySql(db);
  }

  page(request: RunPageRequest): RunPageResult {
    const { filter, limit } = request;
    const params: Params = {};
    const plan = this.textSearch.plan(filter.q);
    // A word in the text and in a few threads: the text's matches and the threads' runs read apart, each in order,
    // then merged (a run of both is read twice: kept once).
    const split = filter.threadId === undefined ? this.textSearch.splitFew(plan, FEW_THREAD_RUNS) : null;
    const textMatching = split && this.matchesByStatus(filter, split.text, true);
    const matching = this.matchesByStatus(filter, plan, true, textMatching);
    const total = matching.reduce((sum, row) => sum + row.n, 0);
    const { field, desc } = request.sort;

    let rows: PageRow[];
    if (total === 0) rows = [];
    else if (filter.threadId === undefined) {
      const keys = split
        ? [
            ...this.keysByStatus(request, split.text, textMatching!),
            ...this.fewKeys(request, split.few, matching),
          ]
        : this.keysByStatus(request, plan, matching);
      const ordered = keys
        .sort((a, b) => {
          const order = compareComparable(a.k, b.k) || a.ord - b.ord;
          return desc ? -order : order;
        })
        .filter((key, at, all) => at === 0 || key.ord !== all[at - 1]!.ord);
      rows = this.withBodies(ordered.slice(0, limit + 1));
    } else {
      // Within a thread only the creation order is indexed: a thread's runs are few enough to sort.
      const where = whereOf(filter, params, true, plan);
      const walk = this.walks(total, this.runCount(filter.threadId), limit);
      rows = this.rows(
        request,
        where,
        params,
        walk && field === 'created' ? 'query_runs_by_thread' : null,
        true,
      );
    }
    const hasMore = rows.length > limit;
    const pageRows = hasMore ? rows.slice(0, limit) : rows;
    const last = pageRows.at(-1);
    return {
      bodies: pageRows.map((row) => row.body),
      nextCursor: hasMore && last ? encodeRunCursor({ field, desc, value: last.k, ord: last.ord }) : null,
      total,
    };
  }

  /**
   * Up to limit + 1 sort keys of each status that has `matching` runs after the cursor: one range scan of (k_status,
   * sort value, ord) per status, each at most a page long, merged by the caller (a status and a sort are often
   * related: failed runs have few tokens, and hold the errors). The scans read the sort keys (from the index alone
   * when only statuses filter); then the page's runs are read.
   */
  private keysByStatus(
    request: RunPageRequest,
    plan: TextSearchPlan | null,
    matching: Array<{ rank: number; n: number }>,
  ): PageRow[] {
    const params: Params = {};
    const { filter, limit } = request;
    const inStatus = new Map(this.keptCounts({}).map((row) => [row.rank, row.n]));
    return matching
      .filter((row) => row.n > 0)
      .flatMap((row) => {
        params.status_rank = row.rank;
        const walk = this.walks(row.n, inStatus.get(row.rank) ?? 0, limit);
        // The text index lists this status's matches; unless walking, the planner starts from that list.
        const others = whereOf({ ...filter, statuses: undefined }, params, false, plan, 'status-set');
        const status = !walk && plan?.textOnly ? '+k_status = @status_rank' : 'k_status = @status_rank';
        return this.rows(
          request,
          [...others, status],
          params,
          walk ? statusSortIndex(request.sort.field) : null,
          false,
        );
      });
  }

  /**
   * Up to limit + 1 sort keys of the runs of `splitFew`'s few threads after the cursor, in the statuses that have
   * `matching` runs: read from the threads' index, then sorted (not from a status's index).
   */
  private fewKeys(
    request: RunPageRequest,
    few: TextSearchPlan,
    matching: Array<{ rank: number; n: number }>,
  ): PageRow[] {
    const params: Params = {};
    const ranks = matching.filter((row) => row.n > 0).map((row) => row.rank);
    // The text's matches only filter: the planner starts from the few threads' runs.
    const where = whereOf({ ...request.filter, statuses: undefined }, params, false, few, 'filter-set');
    return this.rows(request, [...where, `+k_status IN (${ranks.join(', ')})`], params, null, false);
  }

  /**
   * Whether to walk the sort's index, skipping the rows the filter refuses (about limit × inScope / matches index
   * entries), rather than read the matches and sort them (`matches` rows). SQLite's planner does not weigh LIMIT
   * against a filter's selectivity.
   */
  private walks(matches: number, inScope: number, limit: number): boolean {
    return matches * matches >= (limit + 1) * inScope;
  }

  /** Up to limit + 1 rows matching `where` after the cursor, in the sort's order (walking `index` when given). */
  private rows(
    request: RunPageRequest,
    conditions: string[],
    params: Params,
    index: string | null,
    withBody: boolean,
  ): PageRow[] {
    const body = withBody ? `${this.bodySql} AS body` : 'NULL AS body';
    let where = conditions;
    const { field, desc } = request.sort;
    const column = sortColumn(field);
    const direction = desc ? 'DESC' : 'ASC';
    const comparison = desc ? '<' : '>';
    const indexedBy = index ? ` INDEXED BY ${index}` : '';
    // Walking an index of (sort value, ord), a condition `ord IN (…)` (text search, metadata) would be used as a
    // constraint on its second column: one probe per distinct sort value and listed run. `+ord` keeps it a filter.
    if (index) where = where.map((condition) => condition.replace(/(^|\()ord IN \(/g, '$1+ord IN ('));
    params.limit = request.limit + 1;
    if (request.after) {
      params.cursor_value = request.after.value;
      params.cursor_ord = request.after.ord;
    }
    const seek = (key: string) =>
      request.after ? [`(${key}, ord) ${comparison} (@cursor_value, @cursor_ord)`] : [];
    let sql: string;
    if (field === 'duration') {
      // Ended runs by their stored duration (indexed); active ones (few) by their duration at `now`; then merged.
      params.now_s = request.nowMs / 1000;
      const running = 'MAX(0, @now_s - created_at)';
      const ended = [...where, 'k_duration IS NOT NULL', ...seek('k_duration')];
      const active = [...where, 'k_duration IS NULL', ...seek(running)];
      sql = `SELECT body, k, ord FROM (
          SELECT * FROM (SELECT ${body}, k_duration AS k, ord FROM query_runs${indexedBy} ${clause(ended)}
            ORDER BY k_duration ${direction}, ord ${direction} LIMIT @limit)
          UNION ALL
          SELECT * FROM (SELECT ${body}, ${running} AS k, ord FROM query_runs ${clause(active)}
            ORDER BY k ${direction}, ord ${direction} LIMIT @limit)
        ) ORDER BY k ${direction}, ord ${direction} LIMIT @limit`;
    } else {
      // Not walking: `+column` keeps the planner on the filter's index (then sorts the matches).
      const order = index ? column : `+${column}`;
      sql = `SELECT ${body}, ${column} AS k, ord FROM query_runs${indexedBy} ${clause([...where, ...seek(column)])}
        ORDER BY ${order} ${direction}, ord ${direction} LIMIT @limit`;
    }
    return this.prepare(sql).all(params) as PageRow[];
  }

  /** The runs of sort keys read without them, in the same order. */
  private withBodies(keys: PageRow[]): PageRow[] {
    const found = this.prepare(
      `SELECT ord, ${this.bodySql} AS body FROM query_runs WHERE ord IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(keys.map((key) => key.ord))) as Array<{ ord: number; body: string }>;
    const bodies = new Map(found.map((row) => [row.ord, row.body]));
    return keys.map((key) => ({ ...key, body: bodies.get(key.ord)! }));
  }

  /** Runs per status for the filter (its statuses ignored), every status present (0 when none). */
  counts(filter: RunFilter): { byStatus: Record<RunStatus, number>; total: number } {
    return tally(this.matchesByStatus(filter, this.textSearch.plan(filter.q), false));
  }

  /**
   * The runs matching the filter per status rank (its statuses kept or ignored): from the kept totals when the
   * filter is by thread, status and model only; from the text index alone when it is a text search (and statuses);
   * else from the rows (a plan `splitFew` splits as its two sources, `splitCounts`).
   */
  private matchesByStatus(
    filter: RunFilter,
    plan: TextSearchPlan | null,
    withStatus: boolean,
    /** The matches of `splitFew(plan).text` with the same filter, when already counted. */
    splitTextMatching: Array<{ rank: number; n: number }> | null = null,
  ): Array<{ rank: number; n: number }> {
    const scope = withoutVoidSearch(withStatus ? filter : { ...filter, statuses: undefined }, plan);
    const ranks =
      scope.statuses && scope.statuses.length > 0 ? new Set(scope.statuses.map(statusRank)) : null;
    if (keptTotalsAnswer(scope)) return this.keptCounts(scope);
    const fromIndexes =
      plan && onlyTextAndStatuses(scope)
        ? (this.textSearch.countTextOnly(plan) ??
          this.textSearch.countTextAndFew(plan, FEW_THREAD_RUNS) ??
          this.splitCounts(scope, plan, splitTextMatching) ??
          (plan.mixed.length === 1 && plan.textOnly === null ? this.oneWordCounts(plan.mixed[0]!) : null))
        : null;
    if (fromIndexes) return ranks ? fromIndexes.filter((row) => ranks.has(row.rank)) : fromIndexes;
    // Beside other filters, counted from the rows: the text's matches, then the few threads' runs (not an OR).
    const fromRows =
      plan && scope.threadId === undefined ? this.splitCounts(scope, plan, splitTextMatching) : null;
    if (fromRows) return fromRows;
    const params: Params = {};
    const where = whereOf(scope, params, true, plan);
    return this.prepare(
      `SELECT k_status AS rank, COUNT(*) AS n FROM query_runs ${clause(where)} GROUP BY k_status`,
    ).all(params) as Array<{ rank: number; n: number }>;
  }

  /**
   * Runs per status of a plan `splitFew` splits, in `scope` (its statuses kept): its text's matches (from the text
   * index alone when only statuses filter beside it, else from their rows), plus the runs of its few threads that
   * the text does not hold (read from their rows, but only those). `textMatching`: the text's matches, when a page
   * has counted them already.
   */
  private splitCounts(
    scope: RunFilter,
    plan: TextSearchPlan,
    textMatching: Array<{ rank: number; n: number }> | null,
  ): Array<{ rank: number; n: number }> | null {
    const split = this.textSearch.splitFew(plan, FEW_THREAD_RUNS);
    if (!split) return null;
    const ofText =
      textMatching ??
      (onlyTextAndStatuses(scope)
        ? (this.textSearch.countTextOnly(split.text) ??
          this.textSearch.countTextAndFew(split.text, FEW_THREAD_RUNS))
        : this.matchesByStatus(scope, split.text, true));
    if (!ofText) return null;
    const params: Params = {};
    const where = whereOf({ ...scope, q: undefined }, params, true, split.few, 'filter-set');
    // The few places' runs hold the rest of the text's query already: not holding it all is not holding the word.
    params.few_text = split.text.textOnly!;
    const ofFew = this.prepare(
      `SELECT k_status AS rank, COUNT(*) AS n FROM query_runs
       WHERE ${where.join(' AND ')} AND ord NOT IN (${textMatchRuns('few_text')}) GROUP BY k_status`,
    ).all(params) as Array<{ rank: number; n: number }>;
    const counts = new Map(ofText.map((row) => [row.rank, row.n]));
    for (const row of ofFew) counts.set(row.rank, (counts.get(row.rank) ?? 0) + row.n);
    return [...counts].map(([rank, n]) => ({ rank, n }));
  }

  /**
   * Runs holding a word some models, assistants or threads hold too (`4o`, in gpt-4o): the runs of those models
   * from the kept totals, plus the runs of other models that hold it in their text, assistant or thread (read from
   * their rows, but only those).
   */
  private oneWordCounts(places: WordPlaces): Array<{ rank: number; n: number }> {
    const params: Params = { models: JSON.stringify(places.models) };
    const candidates: string[] = [];
    if (places.text !== null) {
      params.text = places.text;
      candidates.push(textMatchRuns('text'));
    }
    for (const [column, values] of [
      ['thread_id', places.threads],
      ['assistant_id', places.assistants],
    ] as const) {
      if (values.length === 0) continue;
      params[column] = JSON.stringify(values);
      candidates.push(
        `SELECT ord FROM query_runs WHERE ${column} IN (SELECT value FROM json_each(@${column}))`,
      );
    }
    if (places.ids) {
      idStartParams(params, 'id', places.ids);
      candidates.push(idStartRuns('id'));
    }
    const models = 'model IN (SELECT value FROM json_each(@models))';
    const counts = new Map<number, number>();
    const add = (rows: Array<{ rank: number; n: number }>) =>
      rows.forEach((row) => counts.set(row.rank, (counts.get(row.rank) ?? 0) + row.n));
    const ofModels = this.prepare(
      `SELECT k_status AS rank, SUM(n) AS n FROM query_run_totals_all WHERE ${models} GROUP BY k_status`,
    ).all(params) as Array<{ rank: number; n: number }>;
    add(ofModels);
    // When those models are every run's, no other run is left to read.
    const othersLeft = this.runCount(null) > ofModels.reduce((sum, row) => sum + row.n, 0);
    if (candidates.length > 0 && othersLeft) {
      add(
        this.prepare(
          `SELECT k_status AS rank, COUNT(*) AS n FROM query_runs
           WHERE ord IN (${candidates.join(' UNION ALL ')}) AND NOT ${models} GROUP BY k_status`,
        ).all(params) as Array<{ rank: number; n: number }>,
      );
    }
    return [...counts].map(([rank, n]) => ({ rank, n }));
  }

  /**
   * Token usage summed over the runs matching `filter`, then per model (`usage` is null until a run ends): from the
   * kept totals when the filter is by thread, status and model only, else from the matching runs' usage columns.
   */
  usage(asked: RunFilter): RunUsage {
    let rows: ModelUsageRow[];
    const plan = this.textSearch.plan(asked.q);
    const filter = withoutVoidSearch(asked, plan);
    if (keptTotalsAnswer(filter)) {
      const { table, where, params } = this.keptWhere(filter);
      rows = this.prepare(
        `SELECT model, SUM(n) AS runs, SUM(runs_with_usage) AS runs_with_usage,
           SUM(prompt_tokens) AS prompt_tokens, SUM(completion_tokens) AS completion_tokens,
           SUM(total_tokens) AS total_tokens
         FROM ${table} ${clause(where)} GROUP BY model HAVING SUM(n) > 0`,
      ).all(params) as typeof rows;
    } else {
      const params: Params = {};
      const where = whereOf(filter, params, true, plan);
      rows = this.prepare(
        `SELECT model, COUNT(*) AS runs, COUNT(usage_total) AS runs_with_usage,
           COALESCE(SUM(usage_prompt), 0) AS prompt_tokens,
           COALESCE(SUM(usage_completion), 0) AS completion_tokens,
           COALESCE(SUM(usage_total), 0) AS total_tokens
         FROM query_runs ${clause(where)} GROUP BY model`,
      ).all(params) as typeof rows;
    }
    return sumUsage(rows);
  }

  /** Runs per status rank from the kept totals, for filters by thread, status and model only. */
  private keptCounts(filter: RunFilter): Array<{ rank: number; n: number }> {
    const { table, where, params } = this.keptWhere(filter);
    return this.prepare(
      `SELECT k_status AS rank, SUM(n) AS n FROM ${table} ${clause(where)} GROUP BY k_status`,
    ).all(params) as Array<{ rank: number; n: number }>;
  }

  /** The kept totals of one thread, or over all threads (`query_run_totals_all`, a few rows). */
  private keptWhere(filter: RunFilter): { table: string; where: string[]; params: Params } {
    const params: Params = {};
    const where: string[] = [];
    const table = filter.threadId === undefined ? 'query_run_totals_all' : 'query_run_totals';
    if (filter.threadId !== undefined) {
      where.push('thread_id = @thread_id');
      params.thread_id = filter.threadId;
    }
    if (filter.statuses && filter.statuses.length > 0) {
      where.push(`k_status IN (${filter.statuses.map(statusRank).join(', ')})`);
    }
    if (filter.model !== undefined) {
      where.push('model = @model');
      params.model = filter.model;
    }
    return { table, where, params };
  }

  private prepare(sql: string) {
    let statement = this.cache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      // Filters combine into a bounded number of shapes; keep the cache from growing without end anyway.
      if (this.cache.size > 500) this.cache.clear();
      this.cache.set(sql, statement);
    }
    return statement;
  }
}
