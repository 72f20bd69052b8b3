import type { RunStatus } from '../../../shared/openai-types';
import { STATUS_PRESENTATION } from '../../ui/status-badge';

type Tone = (typeof STATUS_PRESENTATION)[RunStatus]['tone'];

// Literal class names so Tailwind generates them.
const solid: Record<Tone, string> = {
  queued: 'bg-status-queued',
  running: 'bg-status-running',
  action: 'bg-status-action',
  success: 'bg-status-success',
  danger: 'bg-status-danger',
  neutral: 'bg-status-neutral',
  warning: 'bg-status-warning',
};

/** The fill of a status in the charts; every use also carries the status's text label. */
export function statusFill(status: RunStatus): string {
  return solid[STATUS_PRESENTATION[status].tone];
}
