import { useId } from 'react';
import type { ReactNode } from 'react';
import { usePopover } from '../hooks/use-popover';
import { Button } from '../ui/button';

/**
 * On a phone, the header's secondary controls (backend, theme, shortcuts) behind one "More" button, so the header
 * stays one row. Closes on Escape (focus back on the button) and on a click outside.
 */
export function HeaderMoreMenu({ children }: { children: ReactNode }) {
  const { open, setOpen, rootRef, triggerRef, onKeyDown } = usePopover();
  const menuId = useId();
  return (
    <div ref={rootRef} className="relative" onKeyDown={onKeyDown}>
      <Button
        ref={triggerRef}
        size="sm"
        variant="ghost"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label="More: backend, theme, shortcuts"
        onClick={() => setOpen((shown) => !shown)}
      >
        <span aria-hidden="true">⋯</span>
      </Button>
      {open && (
        <div
          id={menuId}
          role="group"
          aria-label="More"
          className="absolute top-full right-0 z-40 mt-1 flex w-max flex-col items-start gap-2 rounded-md border border-line bg-surface p-2 shadow-lg"
        >
          {children}
        </div>
      )}
    </div>
  );
}
