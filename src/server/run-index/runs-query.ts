import { RUN_STATUSES, type RunStatus } from '../../shared/openai-types';
import { compareComparable, statusRank } from '../../shared/run-sort-keys';
import { assistantIdsNamed, searchWords } from '../../shared/run-text';
import type { RunSortField, RunUsageSummary, TokenUsageSums } from '../../shared/runs-query-types';
import { encodeRunCursor, type RunCursor } from './run-cursor';
import { sortColumn, statusSortIndex, type IndexDb } from './run-index-schema';

/** A validated query (see `runsQuery` in query-api/runs-query-params.ts): what to match, in which order, from where. */
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
        'ord IN (SELECT run_ord FROM query_run_metadata WHERE key = @metadata_key AND value = @metadata_value)',
      );
    } else {
      where.push('ord IN (SELECT run_ord FROM query_run_metadata WHERE key = @metadata_key)');
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
    where.push(...textConditions(searchWords(q), params, assistantNames));
  }
  return where;
}

/**
 * Enough trigrams of a word of 3 characters or more to find it (every third one and the last: they cover every
 * character, and the search text confirms the word), each quoted as an FTS5 string. Fewer lists to intersect.
 */
function trigramsOf(word: string): string[] {
  const characters = [...word];
  const trigrams = new Set<string>();
  const last = characters.length - 3;
  for (let at = 0; at <= last; at += 3) trigrams.add(characters.slice(at, at + 3).join(''));
  trigrams.add(characters.slice(last).join(''));
  return [...trigrams].map((trigram) => `"${trigram.replace(/"/g, '""')}"`);
}

const likeOf = (word: string) => `%${word.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

/**
 * Every word must be in the run's search text or its assistant's name (looked up now: names change). The words
 * only the text can hold make one full-text query: every trigram of every word of 3 characters or more, from the
 * trigram index, whatever the number of words; each word is then confirmed on the row's search text (the index
 * keeps which runs hold a trigram, not where). A word some assistant's name holds is its own condition.
 */
function textConditions(
  words: string[],
  params: Params,
  assistantNames: () => ReadonlyMap<string, string>,
): string[] {
  if (words.length === 0) return [];
  const names = assistantNames();
  const where: string[] = [];
  const indexed: string[] = [];
  words.forEach((word, index) => {
    const inText = `search_text LIKE @q_${index} ESCAPE '\\'`;
    params[`q_${index}`] = likeOf(word);
    const named = assistantIdsNamed(names, word);
    if (named.length === 0) {
      where.push(inText);
      if ([...word].length >= 3) indexed.push(...trigramsOf(word));
      return;
    }
    named.forEach((id, at) => (params[`q_${index}_a${at}`] = id));
    where.push(`(${inText} OR assistant_id IN (${named.map((_, at) => `@q_${index}_a${at}`).join(', ')}))`);
  });
  if (indexed.length > 0) {
    params.q_match = [...new Set(indexed)].join(' AND ');
    where.unshift('ord IN (SELECT rowid FROM query_run_search WHERE query_run_search MATCH @q_match)');
  }
  return where;
}

/** Whether the kept totals (`query_run_totals`) answer for this filter: by thread, status and model only. */
function keptTotalsAnswer(filter: RunFilter): boolean {
  return Object.entries(filter).every(
    ([key, value]) =>
      value === undefined ||
      key === 'threadId' ||
      key === 'statuses' ||
      key === 'model' ||
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
    const { filter, limit } = request;
    const params: Params = {};
    const where = whereOf(filter, params, true, this.assistantNames);
    const total = keptTotalsAnswer(filter)
      ? this.keptCounts(filter).total
      : (this.prepare(`SELECT COUNT(*) FROM query_runs ${clause(where)}`)
          .pluck()
          .get(params) as number);
    const { field, desc } = request.sort;
    const statuses = filter.statuses ?? [];

    let rows: PageRow[];
    if (statuses.length > 0 && filter.threadId === undefined) {
      // Across threads with statuses (the status chips): one range scan of (k_status, sort value, ord) per status,
      // each at most a page long, merged (a status and a sort are often related: failed runs have few tokens).
      const others = whereOf({ ...filter, statuses: undefined }, params, false, this.assistantNames);
      const onlyStatus = others.length === 0;
      rows = statuses
        .flatMap((status) =>
          this.rows(
            request,
            [...others, `k_status = ${statusRank(status)}`],
            params,
            onlyStatus ? statusSortIndex(field) : null,
          ),
        )
        .sort((a, b) => {
          const order = compareComparable(a.k, b.k) || a.ord - b.ord;
          return desc ? -order : order;
        })
        .slice(0, limit + 1);
    } else {
      // Walking the sort's index and skipping the rows the filter refuses reads about limit × (runs in scope /
      // matches) rows; reading the matches and sorting them reads `total`. Walk when that reads fewer (SQLite's
      // planner does not weigh LIMIT against a filter's selectivity). Within a thread only the creation order is
      // indexed: a thread's runs are few enough to sort.
      const inScope = this.runCount(filter.threadId ?? null);
      const walk = total > 0 && total * total >= (limit + 1) * inScope;
      const index =
        filter.threadId === undefined
          ? `query_runs_by_${field}`
          : field === 'created'
            ? 'query_runs_by_thread'
            : null;
      rows = this.rows(request, where, params, walk ? index : null);
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

  /** Up to limit + 1 rows matching `where` after the cursor, in the sort's order (walking `index` when given). */
  private rows(
    request: RunPageRequest,
    conditions: string[],
    params: Params,
    index: string | null,
  ): PageRow[] {
    let where = conditions;
    const { field, desc } = request.sort;
    const column = sortColumn(field);
    const direction = desc ? 'DESC' : 'ASC';
    const comparison = desc ? '<' : '>';
    const indexedBy = index ? ` INDEXED BY ${index}` : '';
    // Walking an index of (sort value, ord), a condition `ord IN (…)` (text search, metadata) would be used as a
    // constraint on its second column: one probe per distinct sort value and listed run. `+ord` keeps it a filter.
    if (index) where = where.map((condition) => condition.replace(/^ord IN \(/, '+ord IN ('));
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
          SELECT * FROM (SELECT body, k_duration AS k, ord FROM query_runs${indexedBy} ${clause(ended)}
            ORDER BY k_duration ${direction}, ord ${direction} LIMIT @limit)
          UNION ALL
          SELECT * FROM (SELECT body, ${running} AS k, ord FROM query_runs ${clause(active)}
            ORDER BY k ${direction}, ord ${direction} LIMIT @limit)
        ) ORDER BY k ${direction}, ord ${direction} LIMIT @limit`;
    } else {
      // Not walking: `+column` keeps the planner on the filter's index (then sorts the matches).
      const order = index ? column : `+${column}`;
      sql = `SELECT body, ${column} AS k, ord FROM query_runs${indexedBy} ${clause([...where, ...seek(column)])}
        ORDER BY ${order} ${direction}, ord ${direction} LIMIT @limit`;
    }
    return this.prepare(sql).all(params) as PageRow[];
  }

  /** Runs per status for the filter (its statuses ignored), every status present (0 when none). */
  counts(filter: RunFilter): { byStatus: Record<RunStatus, number>; total: number } {
    const everyStatus = { ...filter, statuses: undefined };
    if (keptTotalsAnswer(everyStatus)) return this.keptCounts(everyStatus);
    const params: Params = {};
    const where = whereOf(filter, params, false, this.assistantNames);
    return tally(
      this.prepare(
        `SELECT k_status AS rank, COUNT(*) AS n FROM query_runs ${clause(where)} GROUP BY k_status`,
      ).all(params) as Array<{ rank: number; n: number }>,
    );
  }

  /**
   * Token usage summed over the runs matching `filter`, then per model (`usage` is null until a run ends): from the
   * kept totals when the filter is by thread, status and model only, else from the matching runs' usage columns.
   */
  usage(filter: RunFilter): Omit<RunUsageSummary, 'coverage' | 'feed_seq'> {
    let rows: Array<TokenUsageSums & { model: string; runs: number }>;
    if (keptTotalsAnswer(filter)) {
      const { where, params } = this.keptWhere(filter);
      rows = this.prepare(
        `SELECT model, SUM(n) AS runs, SUM(runs_with_usage) AS runs_with_usage,
           SUM(prompt_tokens) AS prompt_tokens, SUM(completion_tokens) AS completion_tokens,
           SUM(total_tokens) AS total_tokens
         FROM query_run_totals ${clause(where)} GROUP BY model HAVING SUM(n) > 0`,
      ).all(params) as typeof rows;
    } else {
      const params: Params = {};
      const where = whereOf(filter, params, true, this.assistantNames);
      rows = this.prepare(
        `SELECT model, COUNT(*) AS runs, COUNT(usage_total) AS runs_with_usage,
           COALESCE(SUM(usage_prompt), 0) AS prompt_tokens,
           COALESCE(SUM(usage_completion), 0) AS completion_tokens,
           COALESCE(SUM(usage_total), 0) AS total_tokens
         FROM query_runs ${clause(where)} GROUP BY model`,
      ).all(params) as typeof rows;
    }
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

  /** Runs per status from the kept totals, for filters by thread, status and model only. */
  private keptCounts(filter: RunFilter): { byStatus: Record<RunStatus, number>; total: number } {
    const { where, params } = this.keptWhere(filter);
    return tally(
      this.prepare(
        `SELECT k_status AS rank, SUM(n) AS n FROM query_run_totals ${clause(where)} GROUP BY k_status`,
      ).all(params) as Array<{ rank: number; n: number }>,
    );
  }

  private keptWhere(filter: RunFilter): { where: string[]; params: Params } {
    const params: Params = {};
    const where: string[] = [];
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
    return { where, params };
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
