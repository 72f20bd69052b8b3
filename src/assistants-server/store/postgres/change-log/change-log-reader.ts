import type { SqlClient } from '../sql-client';
import { CHANGES_CHANNEL } from './append-change';
import type { LogEntry } from './log-entry';
import {
  lastIdTaken,
  readSettledPage,
  settledHorizon,
  takeHorizon,
  type ChangeHorizon,
  type ChangePage,
  type PageBounds,
} from './change-horizon';

export interface ChangeLogReaderOptions {
  /**
   * Each committed change, once, in id order (the event's seq is its change_log id). It must not throw: a throw is
   * reported to `onError` and the change still counts as delivered.
   */
  onChange(event: LogEntry): void;
  /** A read or a LISTEN failed; the reader retries by itself. */
  onError?(error: unknown): void;
  /** A read pass ended without an error: the database answers (again). */
  onRead?(): void;
  /** Changes per read (default 500). */
  maxItems?: number;
  /** Bytes of change bodies per read (default 1 MiB; a larger single change is read alone). */
  maxBytes?: number;
  /** The safety net: read even without a notification this often (ms, default 2,000). */
  pollMs?: number;
  /** While the horizon waits for running transactions, look again after this long (ms, default 5, doubling to 40). */
  settleMs?: number;
  /** Deliver the changes after this id (a resumed position); by default, only those committed after `start`. */
  after?: number;
}

export const DEFAULT_READ_ITEMS = 500;
export const DEFAULT_READ_BYTES = 1024 * 1024;
const MAX_SETTLE_MS = 40;
const MAX_RELISTEN_MS = 5_000;
/** A failing read is retried after 100 ms, doubling to this: a database that is down is not hammered. */
const MAX_RETRY_MS = 5_000;

export type ResumeCheck = 'ok' | 'unknown_event_id';

/**
 * One instance's reader of the change log: woken by NOTIFY (and by a slow timer), it reads the changes after the last
 * one it delivered, up to a horizon that no late-committing id can fall under (`change-horizon.ts`), and hands them
 * to `onChange` in id order, each once. After a lost LISTEN connection it listens again and reads from where it was:
 * what was committed meanwhile is delivered all the same.
 */
export class ChangeLogReader {
  private readonly bounds: PageBounds;
  private readonly pollMs: number;
  private readonly settleMs: number;
  /** Every change with an id ≤ this has been delivered (or will never exist). Null until `start` settles. */
  private position: number | null = null;
  private pending: ChangeHorizon | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private settleDelay: number;
  private relistenDelay = 100;
  private retryDelay = 100;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  private relistenTimer: ReturnType<typeof setTimeout> | undefined;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private unlisten: (() => Promise<void>) | null = null;

  constructor(
    private readonly db: SqlClient,
    private readonly options: ChangeLogReaderOptions,
  ) {
    this.bounds = {
      maxItems: options.maxItems ?? DEFAULT_READ_ITEMS,
      maxBytes: options.maxBytes ?? DEFAULT_READ_BYTES,
    };
    if (!(this.bounds.maxItems >= 1 && this.bounds.maxBytes >= 1))
      throw new RangeError('Read bounds must be ≥ 1');
    this.pollMs = options.pollMs ?? 2_000;
    this.settleMs = options.settleMs ?? 5;
    this.settleDelay = this.settleMs;
    if (options.after !== undefined) this.position = options.after;
  }

  /**
   * LISTENs, then settles the starting position: resolves once every change up to it is final, so a stream that
   * starts at `lastId()` misses nothing committed later.
   */
  async start(): Promise<void> {
    await this.listen();
    this.pollTimer = setInterval(() => this.wake(), this.pollMs);
    this.pollTimer.unref?.();
    while (!this.closed && this.position === null) {
      await this.wakeAndWait();
      if (this.position === null) await delay(this.settleMs);
    }
    // Resumed from a given id: deliver what followed it now, not at the first notification.
    this.wake();
  }

  /** The id of the last change delivered, or of the last final id: a stream that starts here misses nothing. */
  lastId(): number {
    return this.position ?? 0;
  }

  /**
   * Whether a `Last-Event-ID` can be resumed here. The ids are the database's, the same on every instance: an id this
   * reader has not reached yet (given by an instance a little ahead) is fine too, as long as the database gave it out;
   * the stream then skips what this reader delivers up to it.
   */
  async check(id: number): Promise<ResumeCheck> {
    if (!Number.isSafeInteger(id) || id < 0) return 'unknown_event_id';
    if (id <= this.lastId()) return 'ok';
    return id <= (await lastIdTaken(this.db)) ? 'ok' : 'unknown_event_id';
  }

  /** The changes after `id` up to `lastId()`, bounded: a resumed stream's replay, page by page. */
  async readAfter(id: number, bounds: Partial<PageBounds> = {}): Promise<ChangePage> {
    return readSettledPage(this.db, id, settledHorizon(this.lastId()), { ...this.bounds, ...bounds });
  }

  /** Read now (a notification came, or a test asks); concurrent wakes fold into one more read. */
  wake(): void {
    void this.wakeAndWait();
  }

  /** Reads until caught up with what is final; resolves when done (or when it must wait for a transaction). */
  wakeAndWait(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.catchUp();
        } while (this.again && !this.closed);
        this.retryDelay = 100;
        this.options.onRead?.();
      } catch (error) {
        this.options.onError?.(error);
        this.scheduleRetry();
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.settleTimer);
    clearTimeout(this.relistenTimer);
    await this.running;
    await this.unlisten?.().catch(() => {});
    this.unlisten = null;
  }

  private async catchUp(): Promise<void> {
    while (!this.closed) {
      this.pending ??= await takeHorizon(this.db);
      const horizon = this.pending;
      if (this.position === null) {
        // Starting: wait until everything up to the horizon is final, deliver none of it.
        const page = await readSettledPage(this.db, horizon.upTo, horizon, this.bounds);
        if (!page.settled) return this.scheduleSettle();
        this.position = horizon.upTo;
        this.pending = null;
        return;
      }
      if (horizon.upTo <= this.position) {
        this.pending = null;
        return;
      }
      const page = await readSettledPage(this.db, this.position, horizon, this.bounds);
      if (!page.settled) return this.scheduleSettle();
      this.settleDelay = this.settleMs;
      for (const event of page.changes) {
        if (this.closed) return;
        this.position = event.seq;
        this.options.onChange(event);
      }
      if (page.complete) {
        this.position = horizon.upTo;
        this.pending = null;
      }
    }
  }

  /** A read failed: try again later, a little later each time while it keeps failing. */
  private scheduleRetry(): void {
    this.retryDelay = this.wakeLater(this.retryDelay, MAX_RETRY_MS);
  }

  /** The horizon waits for running transactions: look again soon, a little later each time. */
  private scheduleSettle(): void {
    this.settleDelay = this.wakeLater(this.settleDelay, MAX_SETTLE_MS);
  }

  /** Wakes after `delay` (one such timer at a time); returns the next delay, doubled up to `max`. */
  private wakeLater(delay: number, max: number): number {
    if (this.closed || this.settleTimer) return delay;
    this.settleTimer = setTimeout(() => {
      this.settleTimer = undefined;
      this.wake();
    }, delay);
    return Math.min(delay * 2, max);
  }

  private async listen(): Promise<void> {
    this.unlisten = await this.db.listen(CHANGES_CHANNEL, {
      notification: () => this.wake(),
      lost: (error) => {
        this.unlisten = null;
        this.options.onError?.(error);
        this.scheduleRelisten();
      },
    });
  }

  /** Listens again, backing off while the server refuses, then reads what was committed while no one listened. */
  private scheduleRelisten(): void {
    if (this.closed || this.relistenTimer) return;
    this.relistenTimer = setTimeout(() => {
      this.relistenTimer = undefined;
      if (this.closed) return;
      this.listen().then(
        () => {
          // Closed while listening again: stop, or the LISTEN connection would outlive the reader.
          if (this.closed) return void this.unlisten?.().catch(() => {});
          this.relistenDelay = 100;
          this.wake();
        },
        (error: unknown) => {
          this.options.onError?.(error);
          this.relistenDelay = Math.min(this.relistenDelay * 2, MAX_RELISTEN_MS);
          this.scheduleRelisten();
        },
      );
    }, this.relistenDelay);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
