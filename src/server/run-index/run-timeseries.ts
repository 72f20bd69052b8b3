import { RUN_STATUSES, type RunStatus } from '../../shared/openai-types';
import {
  TIMESERIES_INTERVALS,
  TIMESERIES_MAX_BUCKETS,
  TIMESERIES_TARGET_BUCKETS,
  type RunsTimeseries,
  type RunsTimeseriesBucket,
} from '../../shared/runs-query-types';
import type { IndexDb } from './run-index-schema';
import { whereOf, type RunFilter } from './runs-query';
import type { TextSearch } from './text-search';

export interface TimeseriesRange {
  /** Unix seconds; undefined: the earliest matching run. */
  start?: number;
  /** Unix seconds, inclusive. */
  end: number;
  /** Seconds, one of TIMESERIES_INTERVALS; undefined: the shortest giving at most TIMESERIES_TARGET_BUCKETS. */
  interval?: number;
}

/** One (bucket, status) group as the index answers it. */
interface BucketRow {
  bucket: number;
  rank: number;
  n: number;
  with_usage: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

type Params = Record<string, string | number>;

/**
 * The index read of a time series, on its own so the rest does not depend on where the index keeps its rows: the
 * runs matching `where` created in [start, end], grouped by interval and status, with their usage summed from the
 * usage columns of the index rows.
 */
function readBuckets(db: IndexDb, where: string[], params: Params): BucketRow[] {
  const sql = `SELECT CAST((created_at - @ts_start) / @ts_interval AS INTEGER) AS bucket, k_status AS rank, COUNT(*) AS n,
      COUNT(usage_total) AS with_usage,
      COALESCE(SUM(usage_prompt), 0) AS prompt_tokens,
      COALESCE(SUM(usage_completion), 0) AS completion_tokens,
      COALESCE(SUM(usage_total), 0) AS total_tokens
    FROM query_runs WHERE ${[...where, 'created_at >= @ts_start', 'created_at <= @ts_end'].join(' AND ')}
    GROUP BY bucket, k_status`;
  return db.prepare(sql).all(params) as BucketRow[];
}

/** The earliest `created_at` among the runs matching `where` (null when none match). */
function readEarliest(db: IndexDb, where: string[], params: Params): number | null {
  const sql = `SELECT MIN(created_at) FROM query_runs ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}`;
  return db.prepare(sql).pluck().get(params) as number | null;
}

/** The shortest interval that covers `seconds` in at most TIMESERIES_TARGET_BUCKETS buckets (the longest if none). */
export function intervalFor(seconds: number): number {
  return (
    TIMESERIES_INTERVALS.find(
      (interval) => Math.ceil((seconds + 1) / interval) <= TIMESERIES_TARGET_BUCKETS,
    ) ?? TIMESERIES_INTERVALS.at(-1)!
  );
}

/** Thrown when a range with its interval would give more than TIMESERIES_MAX_BUCKETS buckets. */
export class TooManyBucketsError extends Error {}

/**
 * GET /api/runs/timeseries over the index: runs per interval of their creation and per status, with token sums, for
 * a filter (statuses included). Bucket starts are multiples of the interval (UTC), so two answers line up.
 */
export function runTimeseries(
  db: IndexDb,
  filter: RunFilter,
  range: TimeseriesRange,
  textSearch: TextSearch,
): Omit<RunsTimeseries, 'coverage' | 'feed_seq'> {
  const params: Params = {};
  const where = whereOf(filter, params, true, textSearch.plan(filter.q));
  const from = range.start ?? readEarliest(db, where, params) ?? range.end;
  const interval = range.interval ?? intervalFor(Math.max(0, range.end - from));
  const start = Math.floor(from / interval) * interval;
  const count = Math.max(1, Math.floor((range.end - start) / interval) + 1);
  if (count > TIMESERIES_MAX_BUCKETS) {
    throw new TooManyBucketsError(
      `${count} intervals of ${interval} s from ${start} to ${range.end}; at most ${TIMESERIES_MAX_BUCKETS}: choose a longer interval or a shorter range.`,
    );
  }
  const buckets: RunsTimeseriesBucket[] = Array.from({ length: count }, (_, index) => ({
    start: start + index * interval,
    by_status: Object.fromEntries(RUN_STATUSES.map((status) => [status, 0])) as Record<RunStatus, number>,
    total: 0,
    usage: { runs_with_usage: 0, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  }));
  let total = 0;
  const rows =
    range.end < from
      ? []
      : readBuckets(db, where, { ...params, ts_start: start, ts_end: range.end, ts_interval: interval });
  for (const row of rows) {
    const bucket = buckets[row.bucket];
    if (!bucket) continue;
    bucket.by_status[RUN_STATUSES[row.rank]!] += row.n;
    bucket.total += row.n;
    bucket.usage.runs_with_usage += row.with_usage;
    bucket.usage.prompt_tokens += row.prompt_tokens;
    bucket.usage.completion_tokens += row.completion_tokens;
    bucket.usage.total_tokens += row.total_tokens;
    total += row.n;
  }
  return { object: 'runs.timeseries', start, end: range.end, interval, buckets, total };
}
