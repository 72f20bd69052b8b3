import { useEffect } from 'react';

const IDLE_TIMEOUT_MS = 2_000;

/** Once the page is idle after it mounts, starts downloading code the person is likely to need next. */
export function usePreloadWhenIdle(preloads: ReadonlyArray<() => Promise<unknown>>): void {
  useEffect(() => {
    const run = () => {
      for (const preload of preloads) preload().catch(() => undefined); // the real render reports a failure
    };
    if (typeof window.requestIdleCallback === 'function') {
      const handle = window.requestIdleCallback(run, { timeout: IDLE_TIMEOUT_MS });
      return () => window.cancelIdleCallback(handle);
    }
    const handle = window.setTimeout(run, IDLE_TIMEOUT_MS);
    return () => window.clearTimeout(handle);
  }, [preloads]);
}
