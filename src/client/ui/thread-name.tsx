import { cx } from './cx';

/**
 * A thread named by its label (its metadata), with the id beside it; the id alone when it has no metadata.
 * `stacked`: the label above the id, each cut to its width (a table cell). The caller reads the label
 * (`useThreadLabel` in api/), so this stays a drawing.
 */
export function ThreadName({
  threadId,
  label,
  className,
  stacked = false,
}: {
  threadId: string;
  label: string | null;
  className?: string;
  stacked?: boolean;
}) {
  const part = stacked ? 'block truncate' : 'truncate';
  return (
    <span
      className={cx(
        stacked ? 'block min-w-0' : 'inline-flex min-w-0 flex-wrap items-baseline gap-x-1.5',
        className,
      )}
      title={stacked ? (label ? `${label} (${threadId})` : threadId) : undefined}
    >
      {label && <span className={cx(part, stacked ? 'text-xs' : 'font-medium text-fg')}>{label}</span>}
      <span className={cx(part, 'font-mono', label ? 'text-[11px] text-muted' : 'text-xs')}>{threadId}</span>
    </span>
  );
}
