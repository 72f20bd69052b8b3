import { queryOptions } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import type { ListResponse, Run } from '../../shared/openai-types';
import { isActiveStatus } from '../../shared/openai-types';
import { apiRequest } from './api-fetch';
import type { ApiAnswer } from './api-fetch';
import { IDLE_POLL_MS, pollInterval, runPollInterval } from '../lib/polling-policy';
import type { RunsWindow } from './runs-window';
import {
  activeBeyondHead,
  appendPage,
  mergeHead,
  nextCursor,
  replaceRuns,
  RUNS_PAGE_SIZE,
} from './runs-window';

/**
 * Keys run generic → specific: invalidate `runKeys.thread(id)` to refresh everything about one thread's runs.
 * - ['runs', threadId, 'list', 'window']   the table's window (head page + loaded older pages)
 * - ['runs', threadId, 'list', 'recent']   the newest runs: the sidebar's counts and the cross-thread views
 * - ['runs', threadId, runId]              one run (only fetched when the window does not hold it)
 */
export const runKeys = {
  all: ['runs'] as const,
  thread: (threadId: string) => [...runKeys.all, threadId] as const,
  lists: (threadId: string) => [...runKeys.thread(threadId), 'list'] as const,
  window: (threadId: string) => [...runKeys.lists(threadId), 'window'] as const,
  recent: (threadId: string) => [...runKeys.lists(threadId), 'recent'] as const,
  detail: (threadId: string, runId: string) => [...runKeys.thread(threadId), runId] as const,
};

const runsPath = (threadId: string) => `/v1/threads/${encodeURIComponent(threadId)}/runs`;
const runPath = (threadId: string, runId: string) => `${runsPath(threadId)}/${encodeURIComponent(runId)}`;

export function fetchRunsPage(
  threadId: string,
  options: { after?: string; limit?: number; signal?: AbortSignal },
): Promise<ApiAnswer<ListResponse<Run>>> {
  return apiRequest<ListResponse<Run>>(runsPath(threadId), {
    query: { limit: options.limit ?? RUNS_PAGE_SIZE, order: 'desc', after: options.after },
    signal: options.signal,
  });
}

export function fetchRun(threadId: string, runId: string, signal?: AbortSignal): Promise<ApiAnswer<Run>> {
  return apiRequest<Run>(runPath(threadId, runId), { signal });
}

function documentHidden(): boolean {
  return typeof document !== 'undefined' && document.visibilityState === 'hidden';
}

export interface RunSnapshot {
  run: Run;
  pollAfterMs: number | null;
}

const RECENT_RUNS_LIMIT = 20;

/** The newest runs of a thread whose window is on screen and loaded (it polls on its own), else null. */
function recentFromWindow(client: QueryClient, threadId: string): Run[] | null {
  const windowQuery = client
    .getQueryCache()
    .find<RunsWindow>({ queryKey: runKeys.window(threadId), exact: true });
  if (!windowQuery || windowQuery.getObserversCount() === 0 || windowQuery.state.status !== 'success')
    return null;
  return windowQuery.state.data?.runs.slice(0, RECENT_RUNS_LIMIT) ?? null;
}

/** `select` for `runQueries.recent`: the sidebar's counts. */
export function summarizeRecentRuns(runs: Run[]): RunsSummary {
  return {
    active: runs.filter((run) => isActiveStatus(run.status)).length,
    waitingForOutputs: runs.filter((run) => run.status === 'requires_action').length,
    latest: runs[0] ?? null,
  };
}

export interface RunsSummary {
  active: number;
  waitingForOutputs: number;
  /** The thread's newest run, if any. */
  latest: Run | null;
}

export const runQueries = {
  /** The runs table's data: polls the newest page, keeps the older pages loaded so far, refreshes their active runs. */
  window: (threadId: string) =>
    queryOptions({
      queryKey: runKeys.window(threadId),
      queryFn: async ({ client, queryKey, signal }): Promise<RunsWindow> => {
        const head = await fetchRunsPage(threadId, { signal });
        // Read the cache after the await: a page loaded while this request was in flight is kept.
        const merged = mergeHead(client.getQueryData<RunsWindow>(queryKey), head.data, head.pollAfterMs);
        // The head page holds the thread's `recent` runs too: hand them over rather than fetch them again.
        client.setQueryData(runKeys.recent(threadId), merged.runs.slice(0, RECENT_RUNS_LIMIT));
        const stale = activeBeyondHead(merged, head.data.data.length);
        if (stale.length === 0) return merged;
        const refreshed = await Promise.all(stale.map((run) => fetchRun(threadId, run.id, signal)));
        return replaceRuns(
          merged,
          refreshed.map((answer) => answer.data),
        );
      },
      refetchInterval: (query) =>
        pollInterval({
          runs: query.state.data?.runs ?? [],
          pollAfterMs: query.state.data?.pollAfterMs ?? null,
          documentHidden: documentHidden(),
        }),
    }),

  /**
   * A thread's newest runs. Active runs lock their thread, so they are among these: the sidebar's counts and the
   * cross-thread views (needs-input inbox, stuck-run triage) all derive from this one query with `select`.
   * For the thread open in the table, they come from its window, which is polled at least as often, so the open
   * thread costs one request per poll, not two.
   */
  recent: (threadId: string) =>
    queryOptions({
      queryKey: runKeys.recent(threadId),
      queryFn: async ({ client, signal }): Promise<Run[]> => {
        const fromWindow = recentFromWindow(client, threadId);
        if (fromWindow) return fromWindow;
        const page = await fetchRunsPage(threadId, { limit: RECENT_RUNS_LIMIT, signal });
        return page.data.data;
      },
      refetchInterval: (query) => {
        if (documentHidden()) return false;
        return query.state.data?.some((run) => isActiveStatus(run.status)) ? 2_000 : IDLE_POLL_MS;
      },
    }),

  /** One run by id, for a run the window does not hold (a deep link to an old run). */
  detail: (threadId: string, runId: string) =>
    queryOptions({
      queryKey: runKeys.detail(threadId, runId),
      queryFn: async ({ signal }): Promise<RunSnapshot> => {
        const answer = await fetchRun(threadId, runId, signal);
        return { run: answer.data, pollAfterMs: answer.pollAfterMs };
      },
      refetchInterval: (query) =>
        runPollInterval(
          query.state.data?.run.status,
          query.state.data?.pollAfterMs ?? null,
          documentHidden(),
        ),
    }),
};

/** Loads the next, older page of a thread's runs into its window. Resolves false when there is nothing more. */
export async function loadMoreRuns(client: QueryClient, threadId: string): Promise<boolean> {
  const key = runKeys.window(threadId);
  const current = client.getQueryData<RunsWindow>(key);
  const after = current ? nextCursor(current) : null;
  if (!after) return false;
  const page = await fetchRunsPage(threadId, { after });
  client.setQueryData<RunsWindow>(key, (latest) => (latest ? appendPage(latest, page.data) : latest));
  return true;
}

/**
 * Puts a run the server just returned (after a cancel, a submit, a metadata edit, a create) everywhere it is
 * shown, then refetches what depends on it. Use this from mutations instead of copying runs around.
 */
export function storeRun(client: QueryClient, run: Run): void {
  client.setQueryData<RunsWindow>(runKeys.window(run.thread_id), (window) => {
    if (!window) return window;
    if (window.runs.some((candidate) => candidate.id === run.id)) return replaceRuns(window, [run]);
    return { ...window, runs: [run, ...window.runs] };
  });
  if (client.getQueryData(runKeys.detail(run.thread_id, run.id))) {
    client.setQueryData<RunSnapshot>(runKeys.detail(run.thread_id, run.id), (snapshot) =>
      snapshot ? { ...snapshot, run } : snapshot,
    );
  }
  void client.invalidateQueries({ queryKey: runKeys.thread(run.thread_id) });
}
