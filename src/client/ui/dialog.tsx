import { useEffect, useId, useLayoutEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import { Button } from './button';
import { CloseIcon } from './icons';

/**
 * A modal built on <dialog>: focus is trapped by the browser. It closes by its Close button, by Escape and by a click
 * on the backdrop (a press that starts inside and ends outside, as when selecting text, does not close it). Below
 * 768 px it is a full-screen sheet: its content scrolls under a header that keeps the title and Close in view.
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  size = 'md',
  placement = 'center',
  dismissible = true,
  children,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  description?: ReactNode;
  /** `lg` for forms with many fields and lists; `xl` for tables and charts. */
  size?: 'md' | 'lg' | 'xl';
  /** `left`: a drawer along the left edge, full height (the threads on a narrow screen). */
  placement?: 'center' | 'left';
  /** False for a prompt the app cannot go on without (the access token): no Close, Escape and clicks ignored. */
  dismissible?: boolean;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const pressedOnBackdrop = useRef(false);
  const titleId = useId();
  const descriptionId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  // Unmounted while open (a dialog loaded on demand is rendered only while open): close it while it is still in the
  // page, so the browser gives focus back to what opened it.
  useLayoutEffect(() => {
    const dialog = ref.current;
    return () => {
      if (dialog?.open) dialog.close();
    };
  }, []);

  const closeButton = dismissible && (
    <Button size="sm" variant="ghost" className="-mr-1 shrink-0" aria-label="Close" onClick={onClose}>
      <CloseIcon />
      <span className="max-md:sr-only">Close</span>
    </Button>
  );

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      // Said with the title when the dialog opens (a screen reader otherwise reads only the field it focuses).
      aria-describedby={description && placement !== 'left' ? descriptionId : undefined}
      onClose={onClose}
      onCancel={(event) => {
        event.preventDefault();
        if (dismissible) onClose();
      }}
      // The backdrop is the <dialog> element itself (its content fills the box): a click whose press and release
      // both land on it is a click outside.
      onMouseDown={(event) => (pressedOnBackdrop.current = event.target === event.currentTarget)}
      onClick={(event) => {
        if (dismissible && pressedOnBackdrop.current && event.target === event.currentTarget) onClose();
        pressedOnBackdrop.current = false;
      }}
      // The boxes are in styles.css (`dialog-drawer`, `dialog-sheet` and its widths).
      className={placement === 'left' ? 'dialog-drawer' : `dialog-sheet dialog-${size}`}
    >
      {open && placement === 'left' ? (
        <div className="flex h-full flex-col">
          {/* The drawer's content names itself (the threads' own heading): the title is for screen readers. */}
          <h2 id={titleId} className="sr-only">
            {title}
          </h2>
          <div className="flex justify-end px-3 pt-1.5">{closeButton}</div>
          {children}
        </div>
      ) : open ? (
        <>
          <div className="sticky top-0 z-10 border-b border-line bg-surface px-4 pt-3 pb-2 sm:px-5">
            <div className="flex items-start justify-between gap-3">
              <h2 id={titleId} className="pt-1 text-sm font-semibold">
                {title}
              </h2>
              {closeButton}
            </div>
            {description && (
              <div id={descriptionId} className="mt-0.5 text-muted">
                {description}
              </div>
            )}
          </div>
          <div className="px-4 pt-3 pb-4 sm:px-5 sm:pb-5">{children}</div>
        </>
      ) : null}
    </dialog>
  );
}
