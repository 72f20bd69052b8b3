import { useQuery, useQueryClient } from '@tanstack/react-query';
import { findCachedRun, runQueries } from '../../api/run-queries';
import type { RunSnapshot } from '../../api/run-queries';

/**
 * One run, shown at once from the copy a list already holds (the change feed keeps both current), fetched only when
 * no list holds it (a link to an old run).
 */
export function useRun(threadId: string, runId: string) {
  const client = useQueryClient();
  const query = useQuery({
    ...runQueries.detail(threadId, runId),
    initialData: (): RunSnapshot | undefined => {
      const run = findCachedRun(client, threadId, runId);
      return run ? { run, pollAfterMs: null } : undefined;
    },
    initialDataUpdatedAt: () => Date.now(),
  });
  const run = query.data?.run;
  return {
    run,
    isPending: !run && query.isPending,
    error: run ? null : query.error,
    refetch: () => query.refetch(),
    isRefetchError: Boolean(run) && query.isError,
    refetchError: query.error,
    dataUpdatedAt: query.dataUpdatedAt,
  };
}
