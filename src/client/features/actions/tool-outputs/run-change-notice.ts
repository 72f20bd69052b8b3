import type { Run } from '../../../../shared/openai-types';
import { statusLabel } from '../../../lib/run-vocabulary';

/**
 * What happened to a run while someone was writing its tool outputs, when it no longer waits for them.
 * Null while it still waits.
 */
export function describeRunChange(run: Pick<Run, 'status'>): string | null {
  switch (run.status) {
    case 'requires_action':
      return null;
    case 'expired':
      return 'The run expired before these outputs were submitted (a run waits at most 10 minutes for tool outputs). They can no longer be sent to it.';
    case 'cancelling':
    case 'cancelled':
      return 'The run was cancelled before these outputs were submitted. They can no longer be sent to it.';
    default:
      return `The run received its tool outputs from elsewhere and moved on (now: ${statusLabel(run.status)}). These outputs were not sent.`;
  }
}
