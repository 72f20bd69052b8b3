import type { RunStatus } from '../../shared/openai-types';
import { cx } from './cx';

type Tone = 'queued' | 'running' | 'action' | 'success' | 'danger' | 'neutral' | 'warning';

/** Each status has a label and a glyph as well as a colour, so it never relies on colour alone. */
export const STATUS_PRESENTATION: Record<RunStatus, { label: string; tone: Tone; glyph: string }> = {
  queued: { label: 'Queued', tone: 'queued', glyph: '◷' },
  in_progress: { label: 'In progress', tone: 'running', glyph: '◔' },
  requires_action: { label: 'Requires action', tone: 'action', glyph: '◆' },
  cancelling: { label: 'Cancelling', tone: 'warning', glyph: '◌' },
  cancelled: { label: 'Cancelled', tone: 'neutral', glyph: '⊘' },
  failed: { label: 'Failed', tone: 'danger', glyph: '✕' },
  completed: { label: 'Completed', tone: 'success', glyph: '✓' },
  incomplete: { label: 'Incomplete', tone: 'warning', glyph: '◑' },
  expired: { label: 'Expired', tone: 'neutral', glyph: '⊖' },
};

const tones: Record<Tone, string> = {
  queued: 'text-status-queued bg-status-queued-soft',
  running: 'text-status-running bg-status-running-soft',
  action: 'text-status-action bg-status-action-soft',
  success: 'text-status-success bg-status-success-soft',
  danger: 'text-status-danger bg-status-danger-soft',
  neutral: 'text-status-neutral bg-status-neutral-soft',
  warning: 'text-status-warning bg-status-warning-soft',
};

export function statusLabel(status: RunStatus): string {
  return STATUS_PRESENTATION[status].label;
}

export function StatusBadge({ status, className }: { status: RunStatus; className?: string }) {
  const { label, tone, glyph } = STATUS_PRESENTATION[status];
  return (
    <span
      data-status={status}
      className={cx(
        'inline-flex items-center gap-1 rounded px-1.5 py-px text-xs font-medium whitespace-nowrap',
        tones[tone],
        className,
      )}
    >
      <span
        aria-hidden="true"
        className={cx('text-[10px]', status === 'in_progress' && 'motion-safe:animate-pulse')}
      >
        {glyph}
      </span>
      {label}
    </span>
  );
}
