import { queryOptions } from '@tanstack/react-query';
import type { CreateThreadRequest, ListResponse, Thread } from '../../shared/openai-types';
import { apiFetch } from './api-fetch';

export const threadKeys = {
  all: ['threads'] as const,
  list: () => [...threadKeys.all, 'list'] as const,
  detail: (threadId: string) => [...threadKeys.all, threadId] as const,
};

export const threadQueries = {
  /** GET /v1/threads: an emulator extension, only when `capabilities.listThreads`. */
  list: () =>
    queryOptions({
      queryKey: threadKeys.list(),
      queryFn: ({ signal }) =>
        apiFetch<ListResponse<Thread>>('/v1/threads', { query: { limit: 100, order: 'desc' }, signal }),
      // New threads are rare (and a thread made here is added at once); their runs are what changes, and those
      // have their own queries. Also read again on focus.
      refetchInterval: 60_000,
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
