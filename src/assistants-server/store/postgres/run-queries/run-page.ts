import { RUN_SORTS, statusRank, type RunSortDescriptor } from '../../../../shared/run-sort-keys';
import type { RunSortField } from '../../../../shared/runs-query-types';
import { encodeRunCursor, type RunCursor } from '../../run-cursor';
import type { RunPageRequest } from '../../run-query-request';
import type { SqlQueryable } from '../sql-client';
import { runWhere, SqlParams, whereClause } from './run-filter-sql';
import { planMatches, statusWhere, threadMatches, type TextSearchPlan } from './text-search-plan';

interface PageRow {
  body: unknown;
  k: number | string;
  ord: number;
}

/** The SQL type of a sort's column (migration 1): a cursor's value is cast to it, so the seek uses the index. */
function columnType(sort: RunSortDescriptor): string {
  if (!sort.numeric) return 'text';
  return 'live' in sort ? 'double precision' : 'bigint';
}

/**
 * A cursor's value as the column's type. An integer column compared with a fraction (a cursor no page of ours wrote)
 * seeks as SQLite compares it: past `v` ascending is from the next integer, before it descending up to the previous.
 */
function seekPoint(
  cursor: RunCursor,
  sort: RunSortDescriptor,
  desc: boolean,
): { value: unknown; ord: number } {
  const { value, ord } = cursor;
  if (columnType(sort) !== 'bigint' || typeof value !== 'number') return { value, ord };
  // Beyond every stored value (and beyond bigint): the bound seeks the same.
  if (Math.abs(value) > BEYOND_EVERY_VALUE) {
    return { value: Math.sign(value) * BEYOND_EVERY_VALUE, ord };
  }
  if (Number.isInteger(value)) return { value, ord };
  return desc
    ? { value: Math.ceil(value), ord: 0 }
    : { value: Math.floor(value), ord: Number.MAX_SAFE_INTEGER };
}

/** Larger than any integer a sort column holds (times, counts, ranks), and within bigint. */
const BEYOND_EVERY_VALUE = 2 ** 62;

/**
 * The rows of one page: up to limit + 1 matching `where` after the cursor, in the sort's order, keyset on
 * (sort value, ord). A duration is stored once a run ends; an active run's grows with `now` and is computed here,
 * then both merged. With statuses across threads (the status chips), one range of (k_status, sort value, ord) per
 * status, each at most a page long, merged by PostgreSQL (`Merge Append`), as SQLite's engine does.
 */
export async function readPageRows(
  db: SqlQueryable,
  request: RunPageRequest,
  assistantNames: ReadonlyMap<string, string>,
): Promise<PageRow[]> {
  const { filter } = request;
  const params = new SqlParams();
  const limit = params.add(request.limit + 1, 'integer');
  const statuses = filter.statuses ?? [];
  let scans: string[][];
  if (statuses.length > 0 && filter.threadId === undefined) {
    const others = runWhere(filter, params, false, assistantNames);
    scans = statuses.map((status) => [...others, `k_status = ${statusRank(status)}`]);
  } else {
    scans = [runWhere(filter, params, true, assistantNames)];
  }
  const seek = seekOf(request, params);
  const direction = request.sort.desc ? 'DESC' : 'ASC';
  const ranges = scans.flatMap((where) =>
    rangesOf(request.sort.field, where, seek, direction, limit, params, request),
  );
  const sql =
    ranges.length === 1
      ? ranges[0]!
      : `SELECT body, k, ord FROM (${ranges.map((range) => `(${range})`).join(' UNION ALL ')}) AS page
         ORDER BY k ${direction}, ord ${direction} LIMIT ${limit}`;
  const { rows } = await db.query<PageRow>(sql, params.values);
  return rows;
}

/** The sorts whose keys the `(text_id, k_status)` index includes: every match's key read from the index alone. */
const IN_TEXT_INDEX: ReadonlySet<RunSortField> = new Set(['status', 'created', 'tokens', 'duration']);
/**
 * Up to so many texts, their runs are read in order, text by text, from the `(text_id, key, ord)` index of each sort
 * (migrations 8 and 9; a duration: its ended runs, its active ones computed, as `rangesOf` does), one range each in
 * the statement; more, one range joined to the list of texts (`textRanges`).
 */
const MAX_ORDERED_TEXTS = 16;

/**
 * Whether a page reads each text's runs in order (`textRanges`) rather than every match's key from the `(text_id,
 * k_status)` index (the window): always over a few texts, and over more unless statuses are asked and the sort is one
 * that index includes. A status the sort's index does not hold is checked on each entry read (a heap fetch), so a
 * rare status would read every entry; the window reads that status's entries alone.
 */
const readsInOrder = (plan: TextSearchPlan, field: RunSortField) =>
  plan.textIds.length <= MAX_ORDERED_TEXTS || !IN_TEXT_INDEX.has(field) || !plan.statuses?.length;

/**
 * A page of a text search alone (`planTextSearch`), and the search's total, in one statement: over up to
 * `MAX_ORDERED_TEXTS` texts, at most limit + 1 runs of each text after the cursor from its `(text_id, key, ord)`
 * index, merged, the total an index-only count; over more, the same through one range joined to the list of texts
 * (`textRanges`), but with statuses by a sort the `(text_id, k_status)` index includes, every match's key of those
 * statuses from that index (no run read), counted, the page's top limit + 1 kept (`readsInOrder`). The runs of the
 * plan's threads that the texts do not find (`threadMatches`: a few threads' runs, read once as a CTE) are one more
 * source of each: their top limit + 1 after the cursor merged with the texts', counted with them. Then those runs'
 * bodies. The total is null when no row follows the cursor (the caller counts). A duration is the stored one of an
 * ended run, else its time so far (`k_duration` is null while a run is active), as `rangesOf` merges them.
 */
export async function readTextPage(
  db: SqlQueryable,
  request: RunPageRequest,
  plan: TextSearchPlan,
): Promise<{ rows: PageRow[]; total: number | null }> {
  if (plan.textIds.length === 0 && plan.threadIds.length === 0) return { rows: [], total: null };
  const params = new SqlParams();
  const limit = params.add(request.limit + 1, 'integer');
  const { field } = request.sort;
  const column = RUN_SORTS[field].column;
  const running =
    field === 'duration'
      ? `GREATEST(0, ${params.add(request.nowMs / 1000, 'double precision')} - created_at)`
      : '';
  const key = field === 'duration' ? `COALESCE(${column}, ${running})` : column;
  const direction = request.sort.desc ? 'DESC' : 'ASC';
  const seek = seekOf(request, params);
  const threads = plan.threadIds.length > 0;
  const threadRuns = threads ? `WITH thread_runs AS (${threadMatches(plan, params)}) ` : '';
  const statuses = statusWhere(plan);
  const ordered = (source: string, partKey: string, conditions: string[]) =>
    `(SELECT ord, ${partKey} AS k FROM ${source}
      ${whereClause([...conditions, ...statuses, ...seek(partKey)])}
      ORDER BY ${partKey} ${direction}, ord ${direction} LIMIT ${limit})`;
  let page: string;
  if (readsInOrder(plan, field)) {
    // Each text's runs in order from its index, at most a page each, merged; the total counted apart.
    const parts: Array<[string, string[]]> =
      field === 'duration'
        ? [
            [column, [`${column} IS NOT NULL`]],
            [running, [`${column} IS NULL`]],
          ]
        : [[column, []]];
    const ranges = textRanges(
      plan,
      params,
      (partKey, conditions) => ordered('query_run_search', partKey, conditions),
      parts,
    );
    // The threads' runs are few: each one's key computed, sorted.
    if (threads) ranges.push(ordered('thread_runs', key, []));
    const total = `(SELECT COUNT(*) FROM (${planMatches(plan, params, '1', true, 'thread_runs')}) AS matches)`;
    page = `SELECT ord, k, ${total} AS total FROM (${ranges.join(' UNION ALL ')}) AS matches`;
  } else {
    // Every match's key, counted, then the page's top rows.
    const seeking = seek('k');
    page = `SELECT ord, k, total
      FROM (SELECT ord, k, COUNT(*) OVER () AS total
            FROM (${planMatches(plan, params, `ord, ${key} AS k`, true, 'thread_runs')}) AS keyed) AS matches
      ${whereClause(seeking)}`;
  }
  const { rows } = await db.query<PageRow & { total: number }>(
    `${threadRuns}SELECT runs.body, page.k, page.ord, page.total
     FROM (${page} ORDER BY k ${direction}, ord ${direction} LIMIT ${limit}) AS page
     JOIN query_runs AS runs ON runs.ord = page.ord
     ORDER BY page.k ${direction}, page.ord ${direction}`,
    params.values,
  );
  return {
    rows: rows.map(({ body, k, ord }) => ({ body, k, ord })),
    total: rows[0]?.total ?? null,
  };
}

/**
 * Each text's runs in the sort's order, at most limit + 1 of each (`ordered`: a range of the text's `(text_id, key,
 * ord)` index), for each part of the sort: up to `MAX_ORDERED_TEXTS` texts one range each; more, one range joined
 * to the list of texts (`unnest(…) CROSS JOIN LATERAL`: still at most limit + 1 entries of each text, not every
 * match).
 */
function textRanges(
  plan: TextSearchPlan,
  params: SqlParams,
  ordered: (partKey: string, conditions: string[]) => string,
  parts: Array<[string, string[]]>,
): string[] {
  if (plan.textIds.length <= MAX_ORDERED_TEXTS) {
    return plan.textIds.flatMap((textId) => {
      const text = `text_id = ${params.add(textId, 'bigint')}`;
      return parts.map(([partKey, conditions]) => ordered(partKey, [text, ...conditions]));
    });
  }
  const texts = params.add(plan.textIds, 'bigint[]');
  return parts.map(
    ([partKey, conditions]) =>
      `(SELECT text_runs.ord, text_runs.k FROM unnest(${texts}) AS matched_texts(id)
        CROSS JOIN LATERAL ${ordered(partKey, ['text_id = matched_texts.id', ...conditions])} AS text_runs)`,
  );
}

type Seek = (key: string) => string[];

/** The keyset condition after the cursor on `key` (the sort's column, or an expression of it). */
function seekOf(request: RunPageRequest, params: SqlParams): Seek {
  const { after } = request;
  if (!after) return () => [];
  const sort: RunSortDescriptor = RUN_SORTS[request.sort.field];
  const point = seekPoint(after, sort, request.sort.desc);
  const value = params.add(point.value, columnType(sort));
  const ord = params.add(point.ord, 'bigint');
  const comparison = request.sort.desc ? '<' : '>';
  return (key) => [`(${key}, ord) ${comparison} (${value}, ${ord})`];
}

/** One ordered, limited SELECT per part of the sort (a duration: ended runs, then active ones computed at `now`). */
function rangesOf(
  field: RunSortField,
  where: string[],
  seek: Seek,
  direction: string,
  limit: string,
  params: SqlParams,
  request: RunPageRequest,
): string[] {
  const select = (key: string, conditions: string[]) =>
    `SELECT body, ${key} AS k, ord FROM query_runs WHERE ${['TRUE', ...conditions].join(' AND ')}
     ORDER BY ${key} ${direction}, ord ${direction} LIMIT ${limit}`;
  const column = RUN_SORTS[field].column;
  if (field !== 'duration') return [select(column, [...where, ...seek(column)])];
  const running = `GREATEST(0, ${params.add(request.nowMs / 1000, 'double precision')} - created_at)`;
  return [
    select(column, [...where, `${column} IS NOT NULL`, ...seek(column)]),
    select(running, [...where, `${column} IS NULL`, ...seek(running)]),
  ];
}

/** The page's cursor: where its last row ended, when more rows follow. */
export function nextCursorOf(request: RunPageRequest, rows: PageRow[]): string | null {
  if (rows.length <= request.limit) return null;
  const last = rows[request.limit - 1];
  if (!last) return null;
  const { field, desc } = request.sort;
  return encodeRunCursor({ field, desc, value: last.k, ord: last.ord });
}

export type { PageRow };
