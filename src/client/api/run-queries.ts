import { queryOptions } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import type { Run } from '../../shared/openai-types';
import type { RunCounts, RunsPage, RunsQuery, RunUsageSummary } from '../../shared/runs-query-types';
import { apiRequest } from './api-fetch';
import type { ApiAnswer } from './api-fetch';
import { feedState } from './change-feed/feed-state';
import { retryFailed } from './failed-read-retry';
import { applyChanges } from './change-feed/apply-changes';
import { IDLE_POLL_MS, documentHidden, pollInterval, runPollInterval } from '../lib/polling-policy';
import type { RunsWindow } from './runs-window';
import { appendPage, mergeHead, refreshSize, RUNS_PAGE_SIZE } from './runs-window';
import { countsIdentity, listIdentity, runsQueryParams, usageIdentity } from './runs-query-params';
import { runKeys } from './run-keys';

const runsPath = (threadId: string) => `/v1/threads/${encodeURIComponent(threadId)}/runs`;
const runPath = (threadId: string, runId: string) => `${runsPath(threadId)}/${encodeURIComponent(runId)}`;

/** One page of `GET /api/runs`. */
export function fetchRunsPage(query: RunsQuery, signal?: AbortSignal): Promise<RunsPage> {
  return apiRequest<RunsPage>('/api/runs', {
    query: runsQueryParams({ ...query, limit: query.limit ?? RUNS_PAGE_SIZE }),
    signal,
  }).then((answer) => answer.data);
}

export function fetchRun(threadId: string, runId: string, signal?: AbortSignal): Promise<ApiAnswer<Run>> {
  return apiRequest<Run>(runPath(threadId, runId), { signal });
}

export interface RunSnapshot {
  run: Run;
  pollAfterMs: number | null;
}

export const runQueries = {
  /**
   * A runs list, filtered and sorted by the server over all the data. A refresh reads its top again (as many rows as
   * are loaded, up to MAX_REFRESH_ROWS); older pages come from `loadMoreRuns`. Live changes arrive through the change
   * feed, which edits it in place: it polls only while the feed is down.
   */
  list: (query: RunsQuery) =>
    queryOptions({
      queryKey: runKeys.list(query),
      queryFn: async ({ client, queryKey, signal }): Promise<RunsWindow> => {
        const requested = refreshSize(client.getQueryData<RunsWindow>(queryKey));
        const head = await fetchRunsPage({ ...listIdentity(query), limit: requested }, signal);
        // Read the cache after the await: a page loaded while this request was in flight is kept.
        return mergeHead(client.getQueryData<RunsWindow>(queryKey), head, requested);
      },
      refetchInterval: (entry) =>
        feedState.isDown()
          ? pollInterval({
              runs: entry.state.data?.runs ?? [],
              pollAfterMs: null,
              documentHidden: documentHidden(),
            })
          : retryFailed(entry.state.error),
    }),

  /** Runs per status for a filter, over all the data. Kept current by the change feed (polled while it is down). */
  counts: (query: RunsQuery) =>
    queryOptions({
      queryKey: runKeys.counts(query),
      queryFn: ({ signal }) =>
        apiRequest<RunCounts>('/api/runs/counts', {
          query: runsQueryParams(countsIdentity(query)),
          signal,
        }).then((answer) => answer.data),
      refetchInterval: (entry) =>
        feedState.isDown() && !documentHidden() ? IDLE_POLL_MS : retryFailed(entry.state.error),
    }),

  /** Token usage summed over every run of a filter, per model. Read again by the change feed when a run changes. */
  usage: (query: RunsQuery) =>
    queryOptions({
      queryKey: runKeys.usage(query),
      queryFn: ({ signal }) =>
        apiRequest<RunUsageSummary>('/api/runs/usage', {
          query: runsQueryParams(usageIdentity(query)),
          signal,
        }).then((answer) => answer.data),
      refetchInterval: (entry) =>
        feedState.isDown() && !documentHidden() ? IDLE_POLL_MS : retryFailed(entry.state.error),
    }),

  /** One run. The change feed keeps it current; it polls on its own only while the feed is down and the run active. */
  detail: (threadId: string, runId: string) =>
    queryOptions({
      queryKey: runKeys.detail(threadId, runId),
      queryFn: async ({ signal }): Promise<RunSnapshot> => {
        const answer = await fetchRun(threadId, runId, signal);
        return { run: answer.data, pollAfterMs: answer.pollAfterMs };
      },
      refetchInterval: (entry) =>
        feedState.isDown()
          ? runPollInterval(
              entry.state.data?.run.status,
              entry.state.data?.pollAfterMs ?? null,
              documentHidden(),
            )
          : retryFailed(entry.state.error),
    }),
};

/** Loads the next page of a list into its window. Resolves false when there is nothing more. */
export async function loadMoreRuns(client: QueryClient, query: RunsQuery): Promise<boolean> {
  const key = runKeys.list(query);
  const after = client.getQueryData<RunsWindow>(key)?.nextCursor;
  if (!after) return false;
  const page = await fetchRunsPage({ ...listIdentity(query), after });
  client.setQueryData<RunsWindow>(key, (latest) =>
    latest && latest.nextCursor === after ? appendPage(latest, page) : latest,
  );
  return true;
}

/** The freshest copy of a run the cache holds (its own entry, else any list), for a panel opened from a list. */
export function findCachedRun(client: QueryClient, threadId: string, runId: string): Run | undefined {
  const own = client.getQueryData<RunSnapshot>(runKeys.detail(threadId, runId));
  if (own) return own.run;
  for (const [, window] of client.getQueriesData<RunsWindow>({ queryKey: runKeys.all })) {
    const found = isWindow(window) ? window.runs.find((run) => run.id === runId) : undefined;
    if (found) return found;
  }
  return undefined;
}

export function isWindow(value: unknown): value is RunsWindow {
  return typeof value === 'object' && value !== null && Array.isArray((value as RunsWindow).runs);
}

/**
 * Puts a run the server just returned (after a cancel, a submit, a metadata edit, a create) everywhere it is shown,
 * as the change feed would: in place in the lists that hold it, in or out of filtered lists, and the counts refetch.
 * Use this from mutations instead of copying runs around.
 */
export function storeRun(client: QueryClient, run: Run, kind: 'created' | 'updated' = 'updated'): void {
  applyChanges(client, [{ type: kind === 'created' ? 'run.created' : 'run.updated', seq: 0, run }]);
}
