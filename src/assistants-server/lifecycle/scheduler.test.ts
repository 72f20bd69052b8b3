import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../platform/logger';
import { Scheduler } from './scheduler';

beforeEach(() => vi.useFakeTimers({ now: 0 }));
afterEach(() => vi.useRealTimers());

describe('the scheduler', () => {
  it('when applying due transitions fails outright, it retries once a second instead of spinning', async () => {
    const lines: string[] = [];
    const scheduler = new Scheduler(
      async () => Date.now() - 1, // always something due
      () => Date.now(),
      async () => {
        throw new Error('disk I/O error');
      },
      createLogger('error', (line) => lines.push(line), false),
    );
    scheduler.reschedule();
    await vi.advanceTimersByTimeAsync(5_000);
    await scheduler.stop();
    // One attempt at once, then one a second: not the thousands of lines a zero-delay retry wrote.
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(lines.length).toBeLessThanOrEqual(6);
    expect(JSON.parse(lines[0]!)).toMatchObject({ error: 'disk I/O error' });
  });

  it('with a frozen wall clock, fires only for what is already due', async () => {
    const fired: number[] = [];
    let due = 1_000;
    const scheduler = new Scheduler(
      async () => due,
      () => 0,
      async () => {
        fired.push(due);
        due = 2_000;
        return 1;
      },
      createLogger('silent'),
      { waitForWallClock: false },
    );
    scheduler.reschedule();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fired).toEqual([]);
    due = 0;
    scheduler.reschedule();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fired).toEqual([0]);
    await scheduler.stop();
  });

  it('on a shared database, a firing that claimed nothing (another instance holds what is due) looks again later', async () => {
    let claims = 0;
    const scheduler = new Scheduler(
      async () => 0, // due now, but leased to another instance
      () => 1_000,
      async () => {
        claims++;
        return 0;
      },
      createLogger('silent'),
      { waitForWallClock: true, idleRetryMs: 1_000 },
    );
    scheduler.reschedule();
    await vi.advanceTimersByTimeAsync(2_500);
    expect(claims).toBe(3); // at once, then once a second: not a busy loop
    // A change here (a run created) looks at once again.
    scheduler.reschedule();
    await vi.advanceTimersByTimeAsync(10);
    expect(claims).toBe(4);
    await scheduler.stop();
  });

  it('on a shared database, a timer that fires before its due time (a busy event loop) comes back at the due time', async () => {
    // Node counts a timer's wait from the event loop's cached time: once the timer is armed, this clock is 5 ms
    // ahead of the timers, so the timer fires 5 ms before the due time by it.
    let timersBehindMs = 0;
    const due = 1_000;
    const applied: number[] = [];
    const now = () => Date.now() + timersBehindMs;
    const scheduler = new Scheduler(
      async () => (applied.length > 0 ? null : due),
      now,
      async () => {
        if (now() < due) return 0; // nothing due yet by the clock the claim reads
        applied.push(now());
        return 1;
      },
      createLogger('silent'),
      { waitForWallClock: true, idleRetryMs: 50_000 },
    );
    scheduler.reschedule();
    await vi.advanceTimersByTimeAsync(0);
    timersBehindMs = -5;
    await vi.advanceTimersByTimeAsync(1_100);
    // Not after idleRetryMs, as when another instance holds what is due: at its due time.
    expect(applied).toEqual([due]);
    await scheduler.stop();
  });
});
