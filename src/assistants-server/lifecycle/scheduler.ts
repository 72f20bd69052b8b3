import type { Logger } from '../../platform/logger';

/** Longest single wait; a longer gap is covered by re-arming (setTimeout overflows past ~24.8 days). */
const MAX_WAIT_MS = 60_000;
/** After a failed batch (the database itself failing), the timer waits this long rather than spinning. */
const RETRY_AFTER_FAILURE_MS = 1_000;

export interface SchedulerOptions {
  /**
   * False when the wall clock stands still (tests): only transitions already due are applied on their own; the
   * others wait for the admin clock, which applies them itself.
   */
  waitForWallClock: boolean;
}

/**
 * One timer, armed for the earliest due transition. Each firing applies one bounded batch (`processDue`); when more
 * is due, the timer fires again on the next turn of the event loop, so requests are served between batches. It never
 * keeps the process alive.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly nextDueAt: () => number | null,
    private readonly now: () => number,
    private readonly processDue: () => void,
    private readonly logger: Logger,
    private readonly options: SchedulerOptions = { waitForWallClock: true },
  ) {}

  reschedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.stopped) return;
    const due = this.nextDueAt();
    if (due === null) return;
    const wait = Math.min(Math.max(0, due - this.now()), MAX_WAIT_MS);
    if (wait > 0 && !this.options.waitForWallClock) return;
    this.timer = setTimeout(() => this.fire(), wait);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private fire(): void {
    this.timer = null;
    try {
      this.processDue();
    } catch (error) {
      this.logger.error('Emulator scheduler failed to apply due transitions', {
        error: error instanceof Error ? error.message : String(error),
      });
      if (this.stopped) return;
      this.timer = setTimeout(() => this.fire(), RETRY_AFTER_FAILURE_MS);
      this.timer.unref();
      return;
    }
    this.reschedule();
  }
}
