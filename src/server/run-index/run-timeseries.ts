import type { RunsTimeseries } from '../../shared/runs-query-types';
import {
  planBuckets,
  timeseriesOf,
  type BucketRow,
  type TimeseriesRange,
} from '../../assistants-server/store/run-timeseries-buckets';
import type { IndexDb } from './run-index-schema';
import { whereOf, type RunFilter } from './runs-query';
import type { TextSearch } from './text-search';

export {
  intervalFor,
  TooManyBucketsError,
  type TimeseriesRange,
} from '../../assistants-server/store/run-timeseries-buckets';

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
  const plan = planBuckets(range, from);
  const rows =
    range.end < from
      ? []
      : readBuckets(db, where, {
          ...params,
          ts_start: plan.start,
          ts_end: range.end,
          ts_interval: plan.interval,
        });
  return timeseriesOf(plan, rows);
}
