import { queryOptions, useQueries, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { Run } from '../../shared/openai-types';
import { isActiveStatus } from '../../shared/openai-types';
import { configQueries } from './config-queries';
import { fetchRunsPage, runKeys } from './run-queries';
import { threadQueries } from './thread-queries';

/**
 * The active runs of one thread, for views that look across threads (needs-input inbox, stuck-run triage).
 * Under `runKeys.lists(threadId)`, so `storeRun` after a cancel or a submit refreshes it.
 */
export const activeRunKeys = {
  thread: (threadId: string) => [...runKeys.lists(threadId), 'active'] as const,
};

// Active runs lock their thread, so they sit among its newest runs.
const ACTIVE_SCAN_LIMIT = 20;

export const activeRunQueries = {
  thread: (threadId: string) =>
    queryOptions({
      queryKey: activeRunKeys.thread(threadId),
      queryFn: async ({ signal }): Promise<Run[]> => {
        const page = await fetchRunsPage(threadId, { limit: ACTIVE_SCAN_LIMIT, signal });
        return page.data.data.filter((run) => isActiveStatus(run.status));
      },
      refetchInterval: (query) => {
        if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return false;
        return (query.state.data?.length ?? 0) > 0 ? 2_000 : 10_000;
      },
    }),
};

const NO_IDS: string[] = [];

/** Watched threads first, then the listed ones (when the backend can list threads), without repeats. */
export function useScannedThreadIds(watched: readonly string[]): string[] {
  const config = useQuery(configQueries.config());
  const listed = useQuery({
    ...threadQueries.list(),
    enabled: config.data?.capabilities.listThreads === true,
    select: (list) => list.data.map((thread) => thread.id),
  });
  const listedIds = listed.data ?? NO_IDS;
  return useMemo(() => [...new Set([...watched, ...listedIds])], [watched, listedIds]);
}

export interface ActiveRunsAcross {
  runs: Run[];
  /** Every thread has answered at least once. */
  loaded: boolean;
  /** Threads whose active runs could not be read (message of the first error). */
  errors: { threadId: string; message: string }[];
}

/** The active runs of every thread in `threadIds`, in one list. */
export function useActiveRunsAcross(threadIds: readonly string[]): ActiveRunsAcross {
  return useQueries({
    queries: threadIds.map((threadId) => activeRunQueries.thread(threadId)),
    combine: (results) => ({
      runs: results.flatMap((result) => result.data ?? []),
      loaded: results.every((result) => result.data !== undefined || result.isError),
      errors: results.flatMap((result, index) =>
        result.error ? [{ threadId: threadIds[index]!, message: result.error.message }] : [],
      ),
    }),
  });
}
