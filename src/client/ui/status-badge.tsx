import type { RunStatus } from '../../shared/openai-types';
import { RUN_STATE_WORDS } from '../lib/run-vocabulary';
import { cx } from './cx';

export { statusLabel } from '../lib/run-vocabulary';

/**
 * Each status has its own colour (the same in chips, badges and charts), a glyph and a label, so it never relies on
 * colour alone. The words are in lib/run-vocabulary.ts.
 */
export const STATUS_PRESENTATION: Record<RunStatus, { label: string; glyph: string }> = {
  queued: { label: RUN_STATE_WORDS.queued.label, glyph: '◷' },
  in_progress: { label: RUN_STATE_WORDS.in_progress.label, glyph: '◔' },
  requires_action: { label: RUN_STATE_WORDS.requires_action.label, glyph: '◆' },
  cancelling: { label: RUN_STATE_WORDS.cancelling.label, glyph: '◌' },
  cancelled: { label: RUN_STATE_WORDS.cancelled.label, glyph: '⊘' },
  failed: { label: RUN_STATE_WORDS.failed.label, glyph: '✕' },
  completed: { label: RUN_STATE_WORDS.completed.label, glyph: '✓' },
  incomplete: { label: RUN_STATE_WORDS.incomplete.label, glyph: '◑' },
  expired: { label: RUN_STATE_WORDS.expired.label, glyph: '⊖' },
};

// Literal class names so Tailwind generates them.
const BADGE: Record<RunStatus, string> = {
  queued: 'text-status-queued bg-status-queued-soft',
  in_progress: 'text-status-running bg-status-running-soft',
  requires_action: 'text-status-action bg-status-action-soft',
  cancelling: 'text-status-warning bg-status-warning-soft',
  cancelled: 'text-status-neutral bg-status-neutral-soft',
  failed: 'text-status-danger bg-status-danger-soft',
  completed: 'text-status-success bg-status-success-soft',
  incomplete: 'text-status-incomplete bg-status-incomplete-soft',
  expired: 'text-status-expired bg-status-expired-soft',
};
const TEXT: Record<RunStatus, string> = {
  queued: 'text-status-queued',
  in_progress: 'text-status-running',
  requires_action: 'text-status-action',
  cancelling: 'text-status-warning',
  cancelled: 'text-status-neutral',
  failed: 'text-status-danger',
  completed: 'text-status-success',
  incomplete: 'text-status-incomplete',
  expired: 'text-status-expired',
};
const FILL: Record<RunStatus, string> = {
  queued: 'bg-status-queued',
  in_progress: 'bg-status-running',
  requires_action: 'bg-status-action',
  cancelling: 'bg-status-warning',
  cancelled: 'bg-status-neutral',
  failed: 'bg-status-danger',
  completed: 'bg-status-success',
  incomplete: 'bg-status-incomplete',
  expired: 'bg-status-expired',
};

/** The status's colour as text (a glyph in a filter chip). */
export function statusTextClass(status: RunStatus): string {
  return TEXT[status];
}

/** The status's colour as a fill (a chart's bar or swatch); every use also carries the status's label. */
export function statusFill(status: RunStatus): string {
  return FILL[status];
}

export function StatusGlyph({ status, className }: { status: RunStatus; className?: string }) {
  return (
    <span
      aria-hidden="true"
      className={cx('text-[10px]', status === 'in_progress' && 'motion-safe:animate-pulse', className)}
    >
      {STATUS_PRESENTATION[status].glyph}
    </span>
  );
}

export function StatusBadge({ status, className }: { status: RunStatus; className?: string }) {
  return (
    <span
      data-status={status}
      className={cx(
        'inline-flex items-center gap-1 rounded px-1.5 py-px text-xs font-medium whitespace-nowrap',
        BADGE[status],
        className,
      )}
    >
      <StatusGlyph status={status} />
      {STATUS_PRESENTATION[status].label}
    </span>
  );
}
