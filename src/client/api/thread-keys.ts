/**
 * Keys of the thread queries, generic → specific (apart from thread-queries.ts so the change feed can name them).
 * - ['threads', 'summaries', q]  GET /api/threads: threads with their last activity, searched by `q`
 * - ['threads', threadId]        GET /v1/threads/{id}
 * - ['watched-threads']           GET /api/watched-threads (proxy mode: the threads the server indexes, and why)
 */
export const threadKeys = {
  all: ['threads'] as const,
  summaries: () => [...threadKeys.all, 'summaries'] as const,
  summariesFor: (q: string) => [...threadKeys.summaries(), q.trim()] as const,
  detail: (threadId: string) => [...threadKeys.all, threadId] as const,
  watched: () => ['watched-threads'] as const,
};
