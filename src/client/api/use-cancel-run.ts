import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Run } from '../../shared/openai-types';
import { isCancellableStatus } from '../../shared/openai-types';
import { ApiError } from './api-error';
import { fetchRun, storeRun } from './run-queries';
import { cancelRun } from './run-mutations';
import { holdRunPolls, patchCachedRun, refreshThreadRuns, restoreRunCache } from './run-cache';

export type CancelOutcome =
  /** The server accepted: the run is `cancelling` (then `cancelled`). */
  | { kind: 'requested'; run: Run }
  /** The server refused because the run was no longer cancellable when the request arrived: not a fault. */
  | { kind: 'already-ended'; run: Run; serverMessage: string };

/**
 * Cancels a run optimistically: polls in flight are stopped, the run shows `cancelling` at once, the previous state
 * comes back if the request fails, and the thread's runs refetch when it settles.
 */
export function useCancelRun() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (run: Run): Promise<CancelOutcome> => {
      try {
        return { kind: 'requested', run: await cancelRun(run.thread_id, run.id) };
      } catch (error) {
        if (error instanceof ApiError && error.status === 400) {
          // The usual cause is a run that ended meanwhile; look before alarming anyone.
          const latest = await fetchRun(run.thread_id, run.id).then(
            (answer) => answer.data,
            () => null,
          );
          if (latest && !isCancellableStatus(latest.status)) {
            return { kind: 'already-ended', run: latest, serverMessage: error.message };
          }
        }
        throw error;
      }
    },
    onMutate: async (run) => {
      const snapshot = await holdRunPolls(client, run.thread_id, run.id);
      patchCachedRun(client, run, { status: 'cancelling', required_action: null });
      return snapshot;
    },
    onSuccess: (outcome) => storeRun(client, outcome.run),
    onError: (_error, _run, snapshot) => {
      if (snapshot) restoreRunCache(client, snapshot);
    },
    onSettled: (_outcome, _error, run) => refreshThreadRuns(client, run.thread_id),
  });
}
