import type { Run } from '../../../shared/openai-types';
import { isActiveStatus, isCancellableStatus } from '../../../shared/openai-types';

/** Active runs, oldest first: the longer a run has been active, the more likely it is stuck. */
export function activeRunsByAge(runs: readonly Run[]): Run[] {
  return runs.filter((run) => isActiveStatus(run.status)).sort((a, b) => a.created_at - b.created_at);
}

/** The selected runs that can still be cancelled (a run already cancelling is left alone). */
export function cancellableSelection(runs: readonly Run[], selected: ReadonlySet<string>): Run[] {
  return runs.filter((run) => selected.has(run.id) && isCancellableStatus(run.status));
}
