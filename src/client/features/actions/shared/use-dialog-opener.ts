import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Open/closed state for a dialog that hands focus back to the control that opened it when it closes. When that
 * control is gone by then (a row action that disappears once the run is cancelled), focus goes to the closest
 * element matching `fallbackSelector` that was around the opener (the row), so keyboard users keep their place.
 */
export function useDialogOpener(fallbackSelector?: string) {
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLElement | null>(null);
  const fallback = useRef<HTMLElement | null>(null);
  const returnFocus = useRef(false);

  const show = useCallback(() => {
    const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    opener.current = active;
    fallback.current = fallbackSelector ? (active?.closest<HTMLElement>(fallbackSelector) ?? null) : null;
    setOpen(true);
  }, [fallbackSelector]);

  const hide = useCallback(() => {
    returnFocus.current = true;
    setOpen(false);
  }, []);

  // Runs after the dialog's own effect has closed it: focus cannot enter the page while a modal is open.
  useEffect(() => {
    if (open || !returnFocus.current) return;
    returnFocus.current = false;
    const target = [opener.current, fallback.current].find((element) => element?.isConnected);
    target?.focus();
  }, [open]);

  return { open, show, hide };
}
