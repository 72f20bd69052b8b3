import { afterEach, describe, expect, it, vi } from 'vitest';
import { backendNow, observeBackendTime, onBackendClockMoved } from './backend-clock';

afterEach(() => {
  vi.useRealTimers();
  observeBackendTime(Date.now(), Date.now());
});

describe('backendNow', () => {
  it('is the wall clock until an answer says otherwise', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    observeBackendTime(1_000_000, 1_000_000);
    expect(backendNow()).toBe(1_000_000);
  });

  it('runs ahead by as much as the emulator clock was advanced, and keeps ticking', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    observeBackendTime(1_000_000 + 300_000, 1_000_000);
    expect(backendNow()).toBe(1_300_000);
    vi.advanceTimersByTime(5_000);
    expect(backendNow()).toBe(1_305_000);
  });

  it('ignores a header that is not a time', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    observeBackendTime(1_000_000, 1_000_000);
    observeBackendTime(Number('soon'), 1_000_000);
    observeBackendTime(0, 1_000_000);
    expect(backendNow()).toBe(1_000_000);
  });

  it('tells the clocks when the backend moved noticeably, not for travel-time jitter', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    observeBackendTime(1_000_000, 1_000_000);
    const moved = vi.fn();
    const stop = onBackendClockMoved(moved);
    observeBackendTime(1_000_030, 1_000_000);
    expect(moved).not.toHaveBeenCalled();
    observeBackendTime(1_000_000 + 420_000, 1_000_000);
    expect(moved).toHaveBeenCalledTimes(1);
    stop();
    observeBackendTime(1_000_000, 1_000_000);
    expect(moved).toHaveBeenCalledTimes(1);
  });
});
