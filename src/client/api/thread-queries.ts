import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { CreateThreadRequest, Thread } from '../../shared/openai-types';
import type { ThreadSummariesPage, WatchedThreadsList } from '../../shared/runs-query-types';
import { apiFetch } from './api-fetch';
import { feedState } from './change-feed/feed-state';
import { retryFailed } from './failed-read-retry';
import { threadKeys } from './thread-keys';

export { threadKeys } from './thread-keys';

export const THREADS_PAGE_SIZE = 100;
/** Without the change feed, the thread list is read again this often (its runs' changes move it). */
const THREADS_POLL_MS = 60_000;

export const threadQueries = {
  /**
   * GET /api/threads: the threads with their last activity and active / waiting counts, newest activity first,
   * searched by `q` (ids and metadata); more pages on demand. The change feed refetches it when runs change.
   */
  summaries: (q: string) =>
    infiniteQueryOptions({
      queryKey: threadKeys.summariesFor(q),
      queryFn: ({ pageParam, signal }) =>
        apiFetch<ThreadSummariesPage>('/api/threads', {
          query: { q: q.trim() || undefined, limit: THREADS_PAGE_SIZE, after: pageParam ?? undefined },
          signal,
        }),
      initialPageParam: null as string | null,
      getNextPageParam: (page) => (page.has_more ? page.next_cursor : null),
      refetchInterval: (entry) => (feedState.isDown() ? THREADS_POLL_MS : retryFailed(entry.state.error)),
    }),
  /** GET /api/watched-threads: in proxy mode, the threads the server indexes (found in traffic, or by hand). */
  watched: () =>
    queryOptions({
      queryKey: threadKeys.watched(),
      queryFn: ({ signal }) => apiFetch<WatchedThreadsList>('/api/watched-threads', { signal }),
      refetchInterval: (entry) => (feedState.isDown() ? THREADS_POLL_MS : retryFailed(entry.state.error)),
    }),
  detail: (threadId: string) =>
    queryOptions({
      queryKey: threadKeys.detail(threadId),
      queryFn: ({ signal }) => apiFetch<Thread>(`/v1/threads/${encodeURIComponent(threadId)}`, { signal }),
      staleTime: Infinity,
    }),
};

export function createThread(request: CreateThreadRequest = {}): Promise<Thread> {
  return apiFetch<Thread>('/v1/threads', { method: 'POST', body: request });
}

/**
 * Tells the server which threads the person watches (POST /api/watched-threads, idempotent): in proxy mode it then
 * indexes their runs from the upstream, so queries and the change feed cover them. A server without the route is fine.
 */
export function watchThreadsOnServer(threadIds: readonly string[]): Promise<void> {
  if (threadIds.length === 0) return Promise.resolve();
  return apiFetch('/api/watched-threads', { method: 'POST', body: { thread_ids: threadIds } }).then(
    () => undefined,
    () => undefined,
  );
}

/** DELETE /api/watched-threads/{id}: the server may stop indexing it (proxy mode). */
export function unwatchThreadOnServer(threadId: string): Promise<void> {
  return apiFetch(`/api/watched-threads/${encodeURIComponent(threadId)}`, { method: 'DELETE' }).then(
    () => undefined,
    () => undefined,
  );
}
