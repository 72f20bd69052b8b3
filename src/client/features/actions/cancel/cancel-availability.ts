import type { Run } from '../../../../shared/openai-types';
import { isCancellableStatus } from '../../../../shared/openai-types';
import { statusLabel } from '../../../lib/run-vocabulary';

/** Null when the run can be cancelled; otherwise why not, in words a person reads next to the disabled action. */
export function cancelUnavailableReason(run: Pick<Run, 'status'>): string | null {
  if (isCancellableStatus(run.status)) return null;
  if (run.status === 'cancelling') return 'A cancel is already under way; the run becomes cancelled shortly.';
  if (run.status === 'cancelled') return 'This run is already cancelled.';
  return `This run has ended (${statusLabel(run.status)}); only active runs (queued, in progress, needs input) can be cancelled.`;
}
