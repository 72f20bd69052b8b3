import { useSyncExternalStore } from 'react';
import { backendNow, onBackendClockMoved } from '../lib/backend-clock';

/**
 * The current time in milliseconds on the backend's clock (lib/backend-clock.ts), re-rendering every `intervalMs`.
 * Clocks of the same interval share one timer.
 */
export function useNow(intervalMs = 1_000): number {
  const clock = clockFor(intervalMs);
  return useSyncExternalStore(clock.subscribe, clock.read, clock.read);
}

interface Clock {
  subscribe: (listener: () => void) => () => void;
  read: () => number;
}

const clocks = new Map<number, Clock>();

function clockFor(intervalMs: number): Clock {
  const existing = clocks.get(intervalMs);
  if (existing) return existing;
  const listeners = new Set<() => void>();
  let now = backendNow();
  let timer: ReturnType<typeof setInterval> | null = null;
  let stopFollowingBackend: (() => void) | null = null;
  const tick = () => {
    now = backendNow();
    for (const each of listeners) each();
  };
  const clock: Clock = {
    // A stable snapshot between ticks, as useSyncExternalStore requires.
    read: () => now,
    subscribe(listener) {
      listeners.add(listener);
      if (timer === null) {
        now = backendNow();
        timer = setInterval(tick, intervalMs);
        // An advanced emulator clock shows at once, not at the next tick (a minute away for slow clocks).
        stopFollowingBackend = onBackendClockMoved(tick);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer !== null) {
          clearInterval(timer);
          timer = null;
          stopFollowingBackend?.();
          stopFollowingBackend = null;
        }
      };
    },
  };
  clocks.set(intervalMs, clock);
  return clock;
}
