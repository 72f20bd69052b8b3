import { queryOptions } from '@tanstack/react-query';
import type { RunsQuery, RunsTimeseries, RunsTimeseriesQuery } from '../../shared/runs-query-types';
import { IDLE_POLL_MS, documentHidden } from '../lib/polling-policy';
import { apiRequest } from './api-fetch';
import { feedState } from './change-feed/feed-state';
import { retryFailed } from './failed-read-retry';
import { runKeys, scopeOf } from './run-keys';
import { runsQueryParams, usageIdentity } from './runs-query-params';

/**
 * Runs per interval of a range, per status, with tokens (GET /api/runs/timeseries), under the scope's run keys so the
 * change feed reads it again when a run changes. Its own module: only the insights (loaded on demand) use it.
 */
export const timeseriesQueries = {
  // Beside its query rather than in run-keys.ts: only the insights, loaded on demand, need it.
  key: (query: RunsQuery, range: RunsTimeseriesQuery) =>
    [...runKeys.allTimeseries(scopeOf(query)), usageIdentity(query), range] as const,
  series: (query: RunsQuery, range: RunsTimeseriesQuery) =>
    queryOptions({
      queryKey: timeseriesQueries.key(query, range),
      queryFn: ({ signal }) =>
        apiRequest<RunsTimeseries>('/api/runs/timeseries', {
          query: { ...runsQueryParams(usageIdentity(query)), ...range },
          signal,
        }).then((answer) => answer.data),
      // A new range keeps the previous chart on screen (marked "Updating…") until its answer comes.
      placeholderData: (previous) => previous,
      refetchInterval: (entry) =>
        feedState.isDown() && !documentHidden() ? IDLE_POLL_MS : retryFailed(entry.state.error),
    }),
};
