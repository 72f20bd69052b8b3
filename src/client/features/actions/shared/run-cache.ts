import type { QueryClient } from '@tanstack/react-query';
import type { Run } from '../../../../shared/openai-types';
import { runKeys } from '../../../api/run-queries';
import type { RunSnapshot } from '../../../api/run-queries';
import type { RunsWindow } from '../../../api/runs-window';
import { replaceRuns } from '../../../api/runs-window';

/** What a run looked like in the cache before an optimistic change, to put back if the request fails. */
export interface RunCacheSnapshot {
  threadId: string;
  window: RunsWindow | undefined;
  detail: RunSnapshot | undefined;
}

/**
 * Stops the polls in flight for the thread, so an answer that left the server before the mutation cannot overwrite
 * what the mutation returns, then remembers the cached copies of the run.
 */
export async function holdRunPolls(
  client: QueryClient,
  threadId: string,
  runId: string,
): Promise<RunCacheSnapshot> {
  await client.cancelQueries({ queryKey: runKeys.thread(threadId) });
  return {
    threadId,
    window: client.getQueryData<RunsWindow>(runKeys.window(threadId)),
    detail: client.getQueryData<RunSnapshot>(runKeys.detail(threadId, runId)),
  };
}

/** Applies `change` to every cached copy of the run (table window and single-run entry). */
export function patchCachedRun(client: QueryClient, run: Run, change: Partial<Run>): void {
  const next = { ...run, ...change };
  client.setQueryData<RunsWindow>(runKeys.window(run.thread_id), (window) =>
    window ? replaceRuns(window, [next]) : window,
  );
  client.setQueryData<RunSnapshot>(runKeys.detail(run.thread_id, run.id), (snapshot) =>
    snapshot ? { ...snapshot, run: next } : snapshot,
  );
}

export function restoreRunCache(client: QueryClient, snapshot: RunCacheSnapshot, runId: string): void {
  client.setQueryData(runKeys.window(snapshot.threadId), snapshot.window);
  if (snapshot.detail) client.setQueryData(runKeys.detail(snapshot.threadId, runId), snapshot.detail);
}

/** After any run mutation, success or not: the table, panel and thread counts refetch. */
export function refreshThreadRuns(client: QueryClient, threadId: string): Promise<void> {
  return client.invalidateQueries({ queryKey: runKeys.thread(threadId) });
}
