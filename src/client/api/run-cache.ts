import type { QueryClient, QueryKey } from '@tanstack/react-query';
import type { Run } from '../../shared/openai-types';
import { isWindow } from './run-queries';
import { ALL_THREADS, runKeys } from './run-keys';
import type { RunSnapshot } from './run-queries';
import { replaceRun } from './runs-window';

/** What a run looked like in the cache before an optimistic change (every entry that held it), to put back. */
export interface RunCacheSnapshot {
  entries: [QueryKey, unknown][];
}

function holdsRun(value: unknown, runId: string): boolean {
  if (isWindow(value)) return value.runs.some((run) => run.id === runId);
  return (value as RunSnapshot | undefined)?.run?.id === runId;
}

/**
 * Stops the reads in flight that may hold the run (its thread's, and those across threads), so an answer that left
 * the server before the mutation cannot overwrite what the mutation returns, then remembers the cached copies.
 */
export async function holdRunPolls(
  client: QueryClient,
  threadId: string,
  runId: string,
): Promise<RunCacheSnapshot> {
  await client.cancelQueries({ queryKey: runKeys.thread(threadId) });
  await client.cancelQueries({ queryKey: runKeys.lists(ALL_THREADS) });
  const entries = [
    ...client.getQueriesData({ queryKey: runKeys.thread(threadId) }),
    ...client.getQueriesData({ queryKey: runKeys.lists(ALL_THREADS) }),
  ].filter(([, value]) => holdsRun(value, runId));
  return { entries };
}

/** Applies `change` to every cached copy of the run (lists and the run's own entry). */
export function patchCachedRun(client: QueryClient, run: Run, change: Partial<Run>): void {
  const next = { ...run, ...change };
  for (const [key, value] of [
    ...client.getQueriesData({ queryKey: runKeys.thread(run.thread_id) }),
    ...client.getQueriesData({ queryKey: runKeys.lists(ALL_THREADS) }),
  ]) {
    if (!holdsRun(value, run.id)) continue;
    client.setQueryData(
      key,
      isWindow(value) ? replaceRun(value, next) : { ...(value as RunSnapshot), run: next },
    );
  }
}

export function restoreRunCache(client: QueryClient, snapshot: RunCacheSnapshot): void {
  for (const [key, value] of snapshot.entries) client.setQueryData(key, value);
}

/** After any run mutation, success or not: the thread's lists and counts, and the counts across threads, refetch. */
export async function refreshThreadRuns(client: QueryClient, threadId: string): Promise<void> {
  await Promise.all([
    client.invalidateQueries({ queryKey: runKeys.thread(threadId) }),
    client.invalidateQueries({ queryKey: runKeys.allCounts(ALL_THREADS) }),
  ]);
}
