/** One file of one vector store to process; `batchId` is the batch that added it, if any. */
export interface IngestJob {
  vectorStoreId: string;
  fileId: string;
  batchId: string | null;
}

export interface IngestQueueOptions {
  /** How many files are processed at once. */
  concurrency: number;
  /** How many waiting files are held in memory; the rest wait in the database only. */
  maxQueued: number;
}

export const DEFAULT_INGEST_QUEUE: IngestQueueOptions = { concurrency: 2, maxQueued: 1000 };

const keyOf = (job: { vectorStoreId: string; fileId: string }) => `${job.vectorStoreId}/${job.fileId}`;

/**
 * Vector store files processed off the request path, `concurrency` at a time. The database is the queue (a file
 * waiting is a row `in_progress`); this holds at most `maxQueued` of them in memory. Past that bound a job is not
 * kept: once the memory queue runs dry, `refill` reads the waiting rows again, oldest first. At start, `resume()`
 * does the same, so work cut off by a stop is picked up.
 *
 * A job aborted by `abort` (a batch cancelled, a file or store removed) sees its signal aborted with reason
 * `'cancelled'`; `close()` aborts with `'shutdown'`, and the processor then writes nothing (the row stays waiting).
 */
export class IngestQueue {
  private readonly queued = new Map<string, IngestJob>();
  private readonly running = new Map<string, AbortController>();
  /** Jobs may be waiting in the database beyond what is in memory. */
  private overflowed = false;
  private refilling: Promise<void> | null = null;
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly options: IngestQueueOptions,
    private readonly process: (job: IngestJob, signal: AbortSignal) => Promise<void>,
    private readonly refill: (limit: number) => Promise<IngestJob[]>,
    private readonly onError: (error: unknown, job: IngestJob) => void,
  ) {}

  /** How many files are held in memory waiting, and how many are being processed. */
  get size(): { queued: number; running: number } {
    return { queued: this.queued.size, running: this.running.size };
  }

  enqueue(job: IngestJob): void {
    if (this.closed) return;
    const key = keyOf(job);
    if (this.queued.has(key)) this.queued.set(key, job);
    else if (this.queued.size < this.options.maxQueued) this.queued.set(key, job);
    else this.overflowed = true;
    this.pump();
  }

  /** Reads what waits in the database (after a start). */
  resume(): void {
    this.overflowed = true;
    this.pump();
  }

  /** Stops the file's processing (and forgets it if it was waiting). */
  abort(job: { vectorStoreId: string; fileId: string }): void {
    const key = keyOf(job);
    this.queued.delete(key);
    this.running.get(key)?.abort('cancelled');
  }

  /** Resolves once nothing runs or waits (in memory or, as far as the last refill knew, in the database). */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    this.queued.clear();
    for (const controller of this.running.values()) controller.abort('shutdown');
  }

  private isIdle(): boolean {
    return this.queued.size === 0 && this.running.size === 0 && !this.overflowed && !this.refilling;
  }

  private pump(): void {
    if (this.closed) return;
    for (const [key, job] of this.queued) {
      if (this.running.size >= this.options.concurrency) break;
      // The same file attached again while it is processed: it waits for the first run to end.
      if (this.running.has(key)) continue;
      this.queued.delete(key);
      this.start(key, job);
    }
    if (this.queued.size === 0 && this.overflowed && !this.refilling) {
      this.refilling = this.refillNow().finally(() => {
        this.refilling = null;
        this.pump();
      });
    }
    if (this.isIdle()) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private start(key: string, job: IngestJob): void {
    const controller = new AbortController();
    this.running.set(key, controller);
    void this.process(job, controller.signal)
      .catch((error: unknown) => this.onError(error, job))
      .finally(() => {
        if (this.running.get(key) === controller) this.running.delete(key);
        this.pump();
      });
  }

  private async refillNow(): Promise<void> {
    this.overflowed = false;
    // Running jobs are still `in_progress` rows: ask for enough to fill the queue past them.
    const limit = this.options.maxQueued + this.running.size;
    let jobs: IngestJob[];
    try {
      jobs = await this.refill(limit);
    } catch (error) {
      this.onError(error, { vectorStoreId: '', fileId: '', batchId: null });
      return;
    }
    if (this.closed) return;
    for (const job of jobs) {
      const key = keyOf(job);
      if (this.running.has(key) || this.queued.has(key)) continue;
      if (this.queued.size >= this.options.maxQueued) {
        this.overflowed = true;
        break;
      }
      this.queued.set(key, job);
    }
    if (jobs.length >= limit) this.overflowed = true;
  }
}
