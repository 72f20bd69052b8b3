import type { ReactNode } from 'react';
import { formatCount } from '../lib/run-vocabulary';
import { Button } from './button';
import { cx } from './cx';

export interface HeaderCountButtonProps {
  /** What a screen reader says: the name with the count in words. */
  label: string;
  /** The name as shown (it may shorten on a phone; `label` keeps the whole of it). */
  children: ReactNode;
  count: number;
  /** Drawn as a call to act (the accent colour) while true. */
  highlighted?: boolean;
  /** A second, alarming count beside the first (e.g. "2 stuck"). */
  alarm?: string | null;
  onClick: () => void;
}

const PILL = 'rounded-full px-1.5 text-[11px] font-semibold tabular-nums';

/** A header button that opens a dialog about a number of runs (the needs-input inbox, the triage), with its count. */
export function HeaderCountButton({
  label,
  children,
  count,
  highlighted = false,
  alarm = null,
  onClick,
}: HeaderCountButtonProps) {
  return (
    <Button
      size="sm"
      variant={highlighted ? 'primary' : 'ghost'}
      // Its colours change with its state at once: a fade would pass through unreadable contrast, which axe caught
      // mid-way.
      className="transition-none"
      aria-haspopup="dialog"
      aria-label={label}
      onClick={onClick}
    >
      {children}{' '}
      <span className={cx(PILL, highlighted ? 'bg-accent-fg text-accent' : 'bg-raised text-fg')}>
        {formatCount(count)}
      </span>
      {alarm && (
        <>
          {' '}
          <span className={cx(PILL, 'bg-status-danger-soft text-status-danger')}>{alarm}</span>
        </>
      )}
    </Button>
  );
}
