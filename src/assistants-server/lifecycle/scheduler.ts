import type { Logger } from '../../platform/logger';

/** Longest single wait; a longer gap is covered by re-arming (setTimeout overflows past ~24.8 days). */
const MAX_WAIT_MS = 60_000;
/** After a failed batch (the database itself failing), the timer waits this long rather than spinning. */
const RETRY_AFTER_FAILURE_MS = 1_000;
/** Changes written by other instances re-arm the timer at most this often. */
const WAKE_AFTER_MS = 20;

export interface SchedulerOptions {
  /**
   * False when the wall clock stands still (tests): only transitions already due are applied on their own; the
   * others wait for the admin clock, which applies them itself.
   */
  waitForWallClock: boolean;
  /**
   * Several instances share the database: a firing that claimed nothing although something was due (another
   * instance holds it under a lease) looks again after this long rather than at once, until something changes here.
   */
  idleRetryMs?: number;
}

/**
 * One timer, armed for the earliest due transition. Each firing applies one bounded batch (`processDue`); when more
 * is due, the timer fires again on the next turn of the event loop, so requests are served between batches. It never
 * keeps the process alive.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** A batch is being applied: the timer is re-armed when it ends (one batch at a time), not meanwhile. */
  private firing = false;
  /** The batch being applied (it never rejects: `fire` logs its failures). */
  private inFlight: Promise<void> = Promise.resolve();
  /** Counts reschedules: only the latest one's reading of the next due time arms the timer. */
  private generation = 0;
  /** The last firing claimed nothing: what is due is another instance's for now. */
  private idle = false;
  /** The due time the armed timer is for. */
  private armedFor: number | null = null;
  private wakeTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly nextDueAt: () => Promise<number | null>,
    private readonly now: () => number,
    /** Applies a batch; returns how many transitions it applied. */
    private readonly processDue: () => Promise<number>,
    private readonly logger: Logger,
    private readonly options: SchedulerOptions = { waitForWallClock: true },
  ) {}

  /** Re-arms the timer for the earliest due transition (read from the store; errors are logged, never thrown). */
  reschedule(): void {
    this.idle = false;
    this.rearm();
  }

  /**
   * Another instance changed something (its write arrived through the database): re-arms within `WAKE_AFTER_MS`,
   * once however many changes arrive meanwhile.
   */
  wake(): void {
    if (this.wakeTimer || this.stopped) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      this.reschedule();
    }, WAKE_AFTER_MS);
    this.wakeTimer.unref();
  }

  private rearm(): void {
    if (this.firing) return;
    void this.arm().catch((error: unknown) => {
      this.logger.error('Emulator scheduler could not read the next due transition', {
        error: describe(error),
      });
    });
  }

  /** Stops the timer; resolves once a batch being applied has ended (a drain releases what that batch claimed). */
  stop(): Promise<void> {
    this.stopped = true;
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.timer = null;
    this.wakeTimer = null;
    return this.inFlight;
  }

  private async arm(): Promise<void> {
    const generation = ++this.generation;
    if (this.stopped) return;
    const due = await this.nextDueAt();
    if (generation !== this.generation || this.stopped || this.firing) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (due === null) return;
    let wait = Math.min(Math.max(0, due - this.now()), MAX_WAIT_MS);
    if (wait > 0 && !this.options.waitForWallClock) return;
    if (this.idle) wait = Math.max(wait, this.options.idleRetryMs ?? 0);
    this.armedFor = due;
    this.arrange(wait);
  }

  private arrange(wait: number): void {
    this.timer = setTimeout(() => {
      this.inFlight = this.fire();
    }, wait);
    this.timer.unref();
  }

  private async fire(): Promise<void> {
    this.timer = null;
    this.firing = true;
    // A timer can fire before its due time by this clock: Node counts its wait from the event loop's cached time,
    // which lags behind while the loop is busy. Nothing is due yet then, and that is no sign of another instance.
    const dueWhenFired = this.armedFor === null || this.armedFor <= this.now();
    try {
      this.idle = (await this.processDue()) === 0 && dueWhenFired;
    } catch (error) {
      this.logger.error('Emulator scheduler failed to apply due transitions', { error: describe(error) });
      this.firing = false;
      if (this.stopped) return;
      this.arrange(RETRY_AFTER_FAILURE_MS);
      return;
    }
    this.firing = false;
    this.rearm();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
