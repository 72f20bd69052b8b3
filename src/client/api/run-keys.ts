import type { RunsQuery } from '../../shared/runs-query-types';
import { countsIdentity, listIdentity, usageIdentity } from './runs-query-params';

/** The scope of the queries across every thread (thread ids always begin with `thread_`, so it cannot clash). */
export const ALL_THREADS = 'all';

/**
 * Keys run generic → specific: invalidate `runKeys.thread(id)` to refresh everything about one thread's runs. Apart
 * from run-queries.ts so the change feed, which run-queries imports, names them too.
 * - ['runs', scope, 'list', query]     a runs list (the table, the home view's sections, the inbox, the triage)
 * - ['runs', scope, 'counts', filter]  runs per status for a filter (the status chips, the header's counts)
 * - ['runs', scope, 'usage', filter]   token usage summed over a filter's runs (insights)
 * - ['runs', scope, 'timeseries', filter, range]  runs over time (insights' chart: api/timeseries-queries.ts)
 * - ['runs', threadId, runId]          one run (the run panel)
 * `scope` is the thread id, or ALL_THREADS for the queries across threads.
 */
export const runKeys = {
  all: ['runs'] as const,
  scope: (scope: string) => [...runKeys.all, scope] as const,
  thread: (threadId: string) => runKeys.scope(threadId),
  lists: (scope: string) => [...runKeys.scope(scope), 'list'] as const,
  list: (query: RunsQuery) => [...runKeys.lists(scopeOf(query)), listIdentity(query)] as const,
  allCounts: (scope: string) => [...runKeys.scope(scope), 'counts'] as const,
  counts: (query: RunsQuery) => [...runKeys.allCounts(scopeOf(query)), countsIdentity(query)] as const,
  allUsage: (scope: string) => [...runKeys.scope(scope), 'usage'] as const,
  usage: (query: RunsQuery) => [...runKeys.allUsage(scopeOf(query)), usageIdentity(query)] as const,
  allTimeseries: (scope: string) => [...runKeys.scope(scope), 'timeseries'] as const,
  detail: (threadId: string, runId: string) => [...runKeys.thread(threadId), runId] as const,
};

export function scopeOf(query: RunsQuery): string {
  return query.threadId ?? ALL_THREADS;
}
