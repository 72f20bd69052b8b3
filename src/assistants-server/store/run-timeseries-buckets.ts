import { RUN_STATUSES, type RunStatus } from '../../shared/openai-types';
import {
  TIMESERIES_INTERVALS,
  TIMESERIES_MAX_BUCKETS,
  TIMESERIES_TARGET_BUCKETS,
  type RunsTimeseries,
  type RunsTimeseriesBucket,
} from '../../shared/runs-query-types';

/**
 * GET /api/runs/timeseries, apart from where the runs are read: the buckets a range asks for, and the answer built
 * from the (bucket, status) groups an engine reads (SQLite's in server/run-index/run-timeseries.ts, PostgreSQL's in
 * store/postgres/run-queries).
 */
export interface TimeseriesRange {
  /** Unix seconds; undefined: the earliest matching run. */
  start?: number;
  /** Unix seconds, inclusive. */
  end: number;
  /** Seconds, one of TIMESERIES_INTERVALS; undefined: the shortest giving at most TIMESERIES_TARGET_BUCKETS. */
  interval?: number;
}

/** One (bucket, status) group as an engine reads it: runs created in [start, end], by interval and status rank. */
export interface BucketRow {
  bucket: number;
  rank: number;
  n: number;
  with_usage: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** The buckets to read: the first one's start (a multiple of the interval, UTC, so two answers line up). */
export interface BucketPlan {
  start: number;
  end: number;
  interval: number;
  count: number;
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

/** The buckets of `range`, from `from` (its start, or the earliest matching run's creation when it has none). */
export function planBuckets(range: TimeseriesRange, from: number): BucketPlan {
  const interval = range.interval ?? intervalFor(Math.max(0, range.end - from));
  const start = Math.floor(from / interval) * interval;
  const count = Math.max(1, Math.floor((range.end - start) / interval) + 1);
  if (count > TIMESERIES_MAX_BUCKETS) {
    throw new TooManyBucketsError(
      `${count} intervals of ${interval} s from ${start} to ${range.end}; at most ${TIMESERIES_MAX_BUCKETS}: choose a longer interval or a shorter range.`,
    );
  }
  return { start, end: range.end, interval, count };
}

/** The answer: every bucket of the plan (empty ones at 0), filled from the groups read. */
export function timeseriesOf(
  plan: BucketPlan,
  rows: readonly BucketRow[],
): Omit<RunsTimeseries, 'coverage' | 'feed_seq'> {
  const { start, interval, count } = plan;
  const buckets: RunsTimeseriesBucket[] = Array.from({ length: count }, (_, index) => ({
    start: start + index * interval,
    by_status: Object.fromEntries(RUN_STATUSES.map((status) => [status, 0])) as Record<RunStatus, number>,
    total: 0,
    usage: { runs_with_usage: 0, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  }));
  let total = 0;
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
  return { object: 'runs.timeseries', start, end: plan.end, interval, buckets, total };
}
