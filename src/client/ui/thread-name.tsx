import { useThreadLabel } from '../api/use-thread-label';
import { cx } from './cx';

/** A thread named by its label (its metadata), with the id beside it; the id alone when it has no metadata. */
export function ThreadName({ threadId, className }: { threadId: string; className?: string }) {
  const label = useThreadLabel(threadId);
  return (
    <span className={cx('inline-flex min-w-0 flex-wrap items-baseline gap-x-1.5', className)}>
      {label && <span className="truncate font-medium text-fg">{label}</span>}
      <span className={cx('truncate font-mono', label ? 'text-[11px] text-muted' : 'text-xs')}>
        {threadId}
      </span>
    </span>
  );
}
