import { useCallback, useState } from 'react';

/** The width in px of the element given the returned ref callback (0 until it is measured), following resizes. */
export function useElementWidth(): [number, (element: HTMLElement | null) => void] {
  const [width, setWidth] = useState(0);
  const ref = useCallback((element: HTMLElement | null) => {
    if (!element) return;
    setWidth(element.clientWidth);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [width, ref];
}
