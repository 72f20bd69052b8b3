import type { CSSProperties } from 'react';
import type { RunStatus } from '../../shared/openai-types';
import { RUN_STATUSES } from '../../shared/openai-types';
import { statusLabel } from '../lib/run-vocabulary';
import { cx } from './cx';

export { statusLabel } from '../lib/run-vocabulary';

/**
 * Each status has its own colour (the same in chips, badges and charts), a glyph and a label, so it never relies on
 * colour alone. The words are in lib/run-vocabulary.ts.
 */
const GLYPHS: Record<RunStatus, string> = {
  queued: '◷',
  in_progress: '◔',
  requires_action: '◆',
  cancelling: '◌',
  cancelled: '⊘',
  failed: '✕',
  completed: '✓',
  incomplete: '◑',
  expired: '⊖',
};
export const STATUS_PRESENTATION = Object.fromEntries(
  RUN_STATUSES.map((status) => [status, { label: statusLabel(status), glyph: GLYPHS[status] }]),
) as Record<RunStatus, { label: string; glyph: string }>;

/** The colour token of each status (styles.css: --color-status-<token> and its -soft background). */
const TOKEN: Record<RunStatus, string> = {
  queued: 'queued',
  in_progress: 'running',
  requires_action: 'action',
  cancelling: 'warning',
  cancelled: 'neutral',
  failed: 'danger',
  completed: 'success',
  incomplete: 'incomplete',
  expired: 'expired',
};

/** The status's colour as text (a glyph in a filter chip). */
export function statusColor(status: RunStatus): CSSProperties {
  return { color: `var(--color-status-${TOKEN[status]})` };
}

/** The status's colour as a fill (a chart's bar or swatch); every use also carries the status's label. */
export function statusFillStyle(status: RunStatus): CSSProperties {
  return { backgroundColor: `var(--color-status-${TOKEN[status]})` };
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
        className,
      )}
      style={{
        color: `var(--color-status-${TOKEN[status]})`,
        backgroundColor: `var(--color-status-${TOKEN[status]}-soft)`,
      }}
    >
      <StatusGlyph status={status} />
      {STATUS_PRESENTATION[status].label}
    </span>
  );
}
