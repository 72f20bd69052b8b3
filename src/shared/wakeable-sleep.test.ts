import { afterEach, describe, expect, it, vi } from 'vitest';
import { wakeableSleep } from './wakeable-sleep';

afterEach(() => vi.useRealTimers());

describe('a wakeable sleep', () => {
  it('ends after its time, or at once when woken', async () => {
    vi.useFakeTimers();
    const { sleep, wake } = wakeableSleep();
    let slept = false;
    void sleep(1_000).then(() => (slept = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(slept).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(slept).toBe(true);

    let woken = false;
    void sleep(60_000).then(() => (woken = true));
    wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(woken).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('is not shortened by a wake that came while nothing slept', async () => {
    vi.useFakeTimers();
    const { sleep, wake } = wakeableSleep();
    wake();
    let slept = false;
    void sleep(1_000).then(() => (slept = true));
    await vi.advanceTimersByTimeAsync(500);
    expect(slept).toBe(false);
  });
});
