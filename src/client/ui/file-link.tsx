import type { ReactNode } from 'react';
import { navigateOnPlainClick } from '../hooks/use-view-state';
import { EMPTY_VIEW, viewHref } from '../lib/view-state';
import { cx } from './cx';

/** A link to a file on the files page (`/files?file=…`); a plain click goes there in the page, Back returns. */
export function FileLink({
  fileId,
  label,
  className,
  children,
}: {
  fileId: string;
  /** The accessible name, when the visible text alone does not say which file (a citation's "[1]"). */
  label?: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <a
      href={viewHref({ ...EMPTY_VIEW, page: 'files', file: fileId })}
      aria-label={label}
      title={label}
      className={cx('text-accent underline-offset-2 hover:underline', className)}
      onClick={(event) => navigateOnPlainClick(event, { page: 'files', file: fileId, store: null })}
    >
      {children}
    </a>
  );
}
