import { useQueries, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { Run } from '../../shared/openai-types';
import { isActiveStatus } from '../../shared/openai-types';
import { configQueries } from './config-queries';
import { runQueries } from './run-queries';
import { threadQueries } from './thread-queries';

function activeOnly(runs: Run[]): Run[] {
  return runs.filter((run) => isActiveStatus(run.status));
}

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
    queries: threadIds.map((threadId) => ({ ...runQueries.recent(threadId), select: activeOnly })),
    combine: (results) => ({
      runs: results.flatMap((result) => result.data ?? []),
      loaded: results.every((result) => result.data !== undefined || result.isError),
      errors: results.flatMap((result, index) =>
        result.error ? [{ threadId: threadIds[index]!, message: result.error.message }] : [],
      ),
    }),
  });
}
