import type { Logger } from '../../platform/logger';

/** Longest single wait; a longer gap is covered by re-arming (setTimeout overflows past ~24.8 days). */
const MAX_WAIT_MS = 60_000;

/**
 * One timer, armed for the earliest due transition. Reads also catch up on their own (see the API router), so the
 * timer only matters for runs nobody is looking at; it never keeps the process alive.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly nextDueAt: () => number | null,
    private readonly now: () => number,
    private readonly processDue: () => void,
    private readonly logger: Logger,
  ) {}

  reschedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.stopped) return;
    const due = this.nextDueAt();
    if (due === null) return;
    const wait = Math.min(Math.max(0, due - this.now()), MAX_WAIT_MS);
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
    }
    this.reschedule();
  }
}
