import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Run } from '../../../shared/openai-types';
import { runQueries } from '../../api/run-queries';
import type { RunsWindow } from '../../api/runs-window';

/**
 * One run, read from the runs table's window when it holds it (one copy, one poll), otherwise fetched and polled on
 * its own (a link to an old run that is not loaded yet).
 */
export function useRun(threadId: string, runId: string) {
  const pick = useCallback(
    (window: RunsWindow) => window.runs.find((run) => run.id === runId) ?? null,
    [runId],
  );
  const fromWindow = useQuery({ ...runQueries.window(threadId), select: pick });
  const needsOwnFetch = fromWindow.isError || (fromWindow.isSuccess && fromWindow.data === null);
  const own = useQuery({ ...runQueries.detail(threadId, runId), enabled: needsOwnFetch });

  const run: Run | undefined = fromWindow.data ?? own.data?.run;
  const source = fromWindow.data ? fromWindow : own;
  return {
    run,
    isPending: !run && (fromWindow.isPending || (needsOwnFetch && own.isPending)),
    error: run ? null : needsOwnFetch ? own.error : null,
    refetch: () => (fromWindow.data ? fromWindow.refetch() : own.refetch()),
    isRefetchError: Boolean(run) && source.isError,
    refetchError: source.error,
    dataUpdatedAt: source.dataUpdatedAt,
  };
}
