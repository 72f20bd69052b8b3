import type { Run } from '../../../shared/openai-types';
import { isActiveStatus, isCancellableStatus } from '../../../shared/openai-types';

/** Active runs, oldest first: the longer a run has been active, the more likely it is stuck. */
export function activeRunsByAge(runs: readonly Run[]): Run[] {
  return runs.filter((run) => isActiveStatus(run.status)).sort((a, b) => a.created_at - b.created_at);
}

/** A run active for longer than this is marked stuck in the triage. */
export const STUCK_AFTER_MINUTES = 5;

/** Active for more than STUCK_AFTER_MINUTES, on the backend's clock. */
export function isStuck(run: Run, nowMs: number): boolean {
  return isActiveStatus(run.status) && ageSeconds(run, nowMs) > STUCK_AFTER_MINUTES * 60;
}

/** Seconds since the run was created. */
export function ageSeconds(run: Run, nowMs: number): number {
  return Math.max(0, Math.floor(nowMs / 1000) - run.created_at);
}

/** The selected runs that can still be cancelled (a run already cancelling is left alone). */
export function cancellableSelection(runs: readonly Run[], selected: ReadonlySet<string>): Run[] {
  return runs.filter((run) => selected.has(run.id) && isCancellableStatus(run.status));
}
