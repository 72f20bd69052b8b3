import { useEffect, useId, useRef } from 'react';
import type { ReactNode } from 'react';

/** A modal built on <dialog>: focus is trapped by the browser and Escape closes it. */
export function Dialog({
  open,
  onClose,
  title,
  description,
  size = 'md',
  placement = 'center',
  children,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  description?: ReactNode;
  /** `lg` for forms with many fields. */
  size?: 'md' | 'lg';
  /** `left`: a drawer along the left edge, full height (the threads on a narrow screen). */
  placement?: 'center' | 'left';
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      className={
        placement === 'left'
          ? 'm-0 h-full max-h-none w-[min(20rem,88vw)] border-r border-line bg-surface p-0 text-fg shadow-xl backdrop:bg-black/40'
          : `m-auto ${size === 'lg' ? 'w-[min(40rem,calc(100vw-1rem))]' : 'w-[min(28rem,calc(100vw-1rem))]'} max-h-[calc(100dvh-1rem)] rounded-lg border border-line bg-surface p-0 text-fg shadow-xl backdrop:bg-black/40`
      }
    >
      {open && placement === 'left' ? (
        <div className="flex h-full flex-col">
          <h2 id={titleId} className="sr-only">
            {title}
          </h2>
          {children}
        </div>
      ) : open ? (
        <div className="p-4 sm:p-5">
          <h2 id={titleId} className="text-sm font-semibold">
            {title}
          </h2>
          {description && <div className="mt-1 text-muted">{description}</div>}
          <div className="mt-4">{children}</div>
        </div>
      ) : null}
    </dialog>
  );
}
