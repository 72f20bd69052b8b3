import type { RunsTimeseries } from '../../../../shared/runs-query-types';
import type { RunFilter } from '../../run-query-request';
import {
  planBuckets,
  timeseriesOf,
  type BucketRow,
  type TimeseriesRange,
} from '../../run-timeseries-buckets';
import type { SqlQueryable } from '../sql-client';
import { runWhere, SqlParams, whereClause } from './run-filter-sql';

/**
 * GET /api/runs/timeseries from `query_runs`: the runs matching the filter (statuses included) created in the
 * range, grouped by interval of their creation and by status, with their usage summed — as SQLite's answers it.
 */
export async function readRunTimeseries(
  db: SqlQueryable,
  filter: RunFilter,
  range: TimeseriesRange,
  assistantNames: ReadonlyMap<string, string>,
): Promise<Omit<RunsTimeseries, 'coverage' | 'feed_seq'>> {
  const params = new SqlParams();
  const where = runWhere(filter, params, true, assistantNames);
  let from = range.start;
  if (from === undefined) {
    const { rows } = await db.query<{ earliest: number | null }>(
      `SELECT MIN(created_at) AS earliest FROM query_runs ${whereClause(where)}`,
      params.values,
    );
    from = rows[0]?.earliest ?? range.end;
  }
  const plan = planBuckets(range, from);
  if (range.end < from) return timeseriesOf(plan, []);
  const start = params.add(plan.start, 'bigint');
  const interval = params.add(plan.interval, 'bigint');
  const end = params.add(range.end, 'bigint');
  const { rows } = await db.query<BucketRow>(
    `SELECT ((created_at - ${start}) / ${interval})::integer AS bucket, k_status AS rank, COUNT(*) AS n,
       COUNT(usage_total) AS with_usage,
       COALESCE(SUM(usage_prompt), 0)::bigint AS prompt_tokens,
       COALESCE(SUM(usage_completion), 0)::bigint AS completion_tokens,
       COALESCE(SUM(usage_total), 0)::bigint AS total_tokens
     FROM query_runs ${whereClause([...where, `created_at >= ${start}`, `created_at <= ${end}`])}
     GROUP BY 1, k_status`,
    params.values,
  );
  return timeseriesOf(plan, rows);
}
