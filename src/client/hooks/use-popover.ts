import { useEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';

/**
 * A menu that opens under its button: closed by a click outside `rootRef`, or by Escape inside it (focus back on
 * `triggerRef`). Spread `onKeyDown` on the root.
 */
export function usePopover() {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !open) return;
    event.stopPropagation();
    event.preventDefault();
    setOpen(false);
    triggerRef.current?.focus();
  };
  return { open, setOpen, rootRef, triggerRef, onKeyDown };
}
