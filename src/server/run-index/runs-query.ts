import { RUN_STATUSES, type RunStatus } from '../../shared/openai-types';
import { compareComparable, statusRank } from '../../shared/run-sort-keys';
import { assistantIdsNamed, searchWords } from '../../shared/run-text';
import type { RunSortField, RunUsageSummary, TokenUsageSums } from '../../shared/runs-query-types';
import { encodeRunCursor, type RunCursor } from './run-cursor';
import { SORT_COLUMNS, type IndexDb } from './run-index-schema';

/** A validated query (see `parseRunsQuery`): what to match, in which order, from where. */
export interface RunFilter {
  threadId?: string;
  statuses?: RunStatus[];
  assistantId?: string;
  model?: string;
  createdAfter?: number;
  createdBefore?: number;
  metadataKey?: string;
  metadataValue?: string;
  q?: string;
}

export interface RunPageRequest {
  filter: RunFilter;
  sort: { field: RunSortField; desc: boolean };
  limit: number;
  after: RunCursor | null;
  /** Emulator or wall-clock time (ms): an active run's duration counts up to it. */
  nowMs: number;
}

export interface RunPageResult {
  /** The runs' wire JSON, in order. */
  bodies: string[];
  nextCursor: string | null;
  total: number;
}

type Params = Record<string, string | number>;
interface PageRow {
  body: string;
  k: number | string;
  ord: number;
}

/** An exact id pasted into the search finds its object by the id index, not by a text scan. */
const EXACT_ID = /^(run|thread|asst)_[A-Za-z0-9_-]+$/;

/** The WHERE terms of a filter (and their parameters in `params`): shared by the page, counts, usage and time series. */
export function whereOf(
  filter: RunFilter,
  params: Params,
  withStatus: boolean,
  assistantNames: () => ReadonlyMap<string, string>,
): string[] {
  const where: string[] = [];
  if (filter.threadId !== undefined) {
    where.push('thread_id = @thread_id');
    params.thread_id = filter.threadId;
  }
  if (withStatus && filter.statuses && filter.statuses.length > 0) {
    // Validated statuses only: their ranks are literal integers.
    where.push(`k_status IN (${filter.statuses.map(statusRank).join(', ')})`);
  }
  if (filter.assistantId !== undefined) {
    where.push('assistant_id = @assistant_id');
    params.assistant_id = filter.assistantId;
  }
  if (filter.model !== undefined) {
    where.push('model = @model');
    params.model = filter.model;
  }
  if (filter.createdAfter !== undefined) {
    where.push('created_at >= @created_after');
    params.created_after = filter.createdAfter;
  }
  if (filter.createdBefore !== undefined) {
    where.push('created_at <= @created_before');
    params.created_before = filter.createdBefore;
  }
  if (filter.metadataKey !== undefined) {
    params.metadata_key = filter.metadataKey;
    if (filter.metadataValue !== undefined) {
      params.metadata_value = filter.metadataValue;
      where.push(
        'ord IN (SELECT run_ord FROM run_metadata WHERE key = @metadata_key AND value = @metadata_value)',
      );
    } else {
      where.push('ord IN (SELECT run_ord FROM run_metadata WHERE key = @metadata_key)');
    }
  }
  const q = filter.q?.trim() ?? '';
  const exact = EXACT_ID.exec(q);
  if (exact) {
    const column = { run: 'id', thread: 'thread_id', asst: 'assistant_id' }[
      exact[1] as 'run' | 'thread' | 'asst'
    ];
    where.push(`${column} = @q_exact`);
    params.q_exact = q;
  } else {
    // Every word must be in the run's search text or its assistant's name (looked up now: names change).
    const words = searchWords(q);
    const names = words.length > 0 ? assistantNames() : new Map<string, string>();
    words.forEach((word, index) => {
      const inText =
        word.length >= 3
          ? // Words of 3 characters or more go through the trigram index; shorter ones are matched by a scan.
            `ord IN (SELECT rowid FROM runs_search WHERE runs_search MATCH @q_${index})`
          : `search_text LIKE @q_${index} ESCAPE '\\'`;
      params[`q_${index}`] =
        word.length >= 3
          ? `"${word.replace(/"/g, '""')}"`
          : `%${word.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
      const named = assistantIdsNamed(names, word);
      if (named.length === 0) {
        where.push(inText);
        return;
      }
      named.forEach((id, at) => (params[`q_${index}_a${at}`] = id));
      where.push(`(${inText} OR assistant_id IN (${named.map((_, at) => `@q_${index}_a${at}`).join(', ')}))`);
    });
  }
  return where;
}

function onlyThreadAndStatus(filter: RunFilter): boolean {
  return Object.entries(filter).every(
    ([key, value]) =>
      value === undefined ||
      key === 'threadId' ||
      key === 'statuses' ||
      (key === 'q' && !String(value).trim()),
  );
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

const clause = (where: string[]) => (where.length > 0 ? `WHERE ${where.join(' AND ')}` : '');

/**
 * The query engine of `/api/runs` and `/api/runs/counts`, over the index (same in both modes). Paging is keyset on
 * (sort value, ord): each page is an index range scan from where the previous one ended, so it stays correct while
 * runs arrive, and costs the same at any depth.
 */
export class RunsQueryEngine {
  private readonly cache = new Map<string, ReturnType<IndexDb['prepare']>>();

  constructor(
    private readonly db: IndexDb,
    private readonly runCount: (threadId: string | null) => number,
    /** The named assistants (id → name): a text search also looks in a run's assistant's name. */
    private readonly assistantNames: () => ReadonlyMap<string, string> = () => new Map(),
  ) {}

  page(request: RunPageRequest): RunPageResult {
    const params: Params = {};
    const where = whereOf(request.filter, params, true, this.assistantNames);
    const total = this.prepare(`SELECT COUNT(*) FROM runs ${clause(where)}`)
      .pluck()
      .get(params) as number;
    const { field, desc } = request.sort;
    const statuses = request.filter.statuses ?? [];

    let rows: PageRow[];
    if (statuses.length > 0 && request.filter.threadId === undefined) {
      // Across threads with statuses (the status chips): one range scan of (k_status, sort value, ord) per status,
      // each at most a page long, merged. Within a thread the matches are few enough to sort.
      const others = whereOf({ ...request.filter, statuses: undefined }, params, false, this.assistantNames);
      const onlyStatus = others.length === 0;
      rows = statuses
        .flatMap((status) =>
          this.rows(
            request,
            [...others, `k_status = ${statusRank(status)}`],
            params,
            onlyStatus ? `runs_by_status_${field}` : null,
          ),
        )
        .sort((a, b) => {
          const order = compareComparable(a.k, b.k) || a.ord - b.ord;
          return desc ? -order : order;
        })
        .slice(0, request.limit + 1);
    } else {
      // The exact count tells how selective the filter is. Walking the sort's index and skipping rows that do not
      // match reads about limit × (runs in scope / matches) rows when the filter and the sort are unrelated;
      // reading the matches and sorting them reads `total`. The walk is forced when a tenth of the runs or more
      // match (SQLite's planner does not weigh LIMIT against a filter's selectivity).
      const inScope = this.runCount(request.filter.threadId ?? null);
      const walk = where.length > 0 && total * 10 >= inScope;
      const index = !walk
        ? null
        : request.filter.threadId !== undefined
          ? `runs_by_thread_${field}`
          : `runs_by_${field}`;
      rows = this.rows(request, where, params, index);
    }
    const hasMore = rows.length > request.limit;
    const pageRows = hasMore ? rows.slice(0, request.limit) : rows;
    const last = pageRows.at(-1);
    return {
      bodies: pageRows.map((row) => row.body),
      nextCursor: hasMore && last ? encodeRunCursor({ field, desc, value: last.k, ord: last.ord }) : null,
      total,
    };
  }

  /** Up to limit + 1 rows matching `where` after the cursor, in the sort's order (walking `index` when given). */
  private rows(request: RunPageRequest, where: string[], params: Params, index: string | null): PageRow[] {
    const { field, desc } = request.sort;
    const column = SORT_COLUMNS[field];
    const direction = desc ? 'DESC' : 'ASC';
    const comparison = desc ? '<' : '>';
    const indexedBy = index ? ` INDEXED BY ${index}` : '';
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
          SELECT * FROM (SELECT body, k_duration AS k, ord FROM runs${indexedBy} ${clause(ended)}
            ORDER BY k_duration ${direction}, ord ${direction} LIMIT @limit)
          UNION ALL
          SELECT * FROM (SELECT body, ${running} AS k, ord FROM runs ${clause(active)}
            ORDER BY k ${direction}, ord ${direction} LIMIT @limit)
        ) ORDER BY k ${direction}, ord ${direction} LIMIT @limit`;
    } else {
      sql = `SELECT body, ${column} AS k, ord FROM runs${indexedBy} ${clause([...where, ...seek(column)])}
        ORDER BY ${column} ${direction}, ord ${direction} LIMIT @limit`;
    }
    return this.prepare(sql).all(params) as PageRow[];
  }

  /** Runs per status for the filter (its statuses ignored), every status present (0 when none). */
  counts(filter: RunFilter): { byStatus: Record<RunStatus, number>; total: number } {
    if (onlyThreadAndStatus(filter)) return this.keptCounts({ threadId: filter.threadId });
    const params: Params = {};
    const where = whereOf(filter, params, false, this.assistantNames);
    const rows = this.prepare(
      `SELECT k_status AS rank, COUNT(*) AS n FROM runs ${clause(where)} GROUP BY k_status`,
    ).all(params) as Array<{ rank: number; n: number }>;
    const byStatus = Object.fromEntries(RUN_STATUSES.map((status) => [status, 0])) as Record<
      RunStatus,
      number
    >;
    let total = 0;
    for (const row of rows) {
      byStatus[RUN_STATUSES[row.rank]!] = row.n;
      total += row.n;
    }
    return { byStatus, total };
  }

  /**
   * Token usage summed over the runs matching `filter`, then per model, from the stored wire JSON (`usage` is null
   * until a run ends). Within a thread it reads that thread's rows only.
   */
  usage(filter: RunFilter): Omit<RunUsageSummary, 'coverage' | 'feed_seq'> {
    const params: Params = {};
    const where = whereOf(filter, params, true, this.assistantNames);
    const rows = this.prepare(
      `SELECT model, COUNT(*) AS runs,
         COUNT(json_extract(body, '$.usage.total_tokens')) AS runs_with_usage,
         COALESCE(SUM(json_extract(body, '$.usage.prompt_tokens')), 0) AS prompt_tokens,
         COALESCE(SUM(json_extract(body, '$.usage.completion_tokens')), 0) AS completion_tokens,
         COALESCE(SUM(json_extract(body, '$.usage.total_tokens')), 0) AS total_tokens
       FROM runs ${clause(where)} GROUP BY model`,
    ).all(params) as Array<TokenUsageSums & { model: string; runs: number }>;
    const sum = (pick: (row: TokenUsageSums & { runs: number }) => number) =>
      rows.reduce((total, row) => total + pick(row), 0);
    return {
      runs: sum((row) => row.runs),
      runs_with_usage: sum((row) => row.runs_with_usage),
      prompt_tokens: sum((row) => row.prompt_tokens),
      completion_tokens: sum((row) => row.completion_tokens),
      total_tokens: sum((row) => row.total_tokens),
      by_model: rows
        .map(({ runs: _runs, ...model }) => model)
        .sort((a, b) => b.total_tokens - a.total_tokens || a.model.localeCompare(b.model)),
    };
  }

  /** Counts from the per (thread, status) table the index keeps, for filters by thread and status only. */
  private keptCounts(filter: RunFilter): { byStatus: Record<RunStatus, number>; total: number } {
    const params: Params = {};
    const where: string[] = [];
    if (filter.threadId !== undefined) {
      where.push('thread_id = @thread_id');
      params.thread_id = filter.threadId;
    }
    if (filter.statuses && filter.statuses.length > 0) {
      where.push(`k_status IN (${filter.statuses.map(statusRank).join(', ')})`);
    }
    const rows = this.prepare(
      `SELECT k_status AS rank, SUM(n) AS n FROM status_counts ${clause(where)} GROUP BY k_status`,
    ).all(params) as Array<{ rank: number; n: number }>;
    return tally(rows);
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
