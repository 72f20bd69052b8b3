import { describe, expect, it } from 'vitest';
import { IngestQueue, type IngestJob } from './ingest-queue';

/** A stand-in for the database's waiting rows: jobs stay until processed. */
function waitingRows(count: number) {
  const rows: IngestJob[] = Array.from({ length: count }, (_, index) => ({
    vectorStoreId: 'vs_1',
    fileId: `file-${index}`,
    batchId: null,
  }));
  return {
    rows,
    refill: (limit: number) => Promise.resolve(rows.slice(0, limit)),
    done: (job: IngestJob) =>
      rows.splice(
        rows.findIndex((row) => row.fileId === job.fileId),
        1,
      ),
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('IngestQueue', () => {
  it('holds at most maxQueued jobs in memory and runs at most concurrency at once; the rest come from refills', async () => {
    const db = waitingRows(50);
    let running = 0;
    let mostRunning = 0;
    let mostQueued = 0;
    const processed: string[] = [];
    const queue: IngestQueue = new IngestQueue(
      { concurrency: 3, maxQueued: 5 },
      async (job) => {
        running++;
        mostRunning = Math.max(mostRunning, running);
        mostQueued = Math.max(mostQueued, queue.size.queued);
        await tick();
        processed.push(job.fileId);
        db.done(job);
        running--;
      },
      db.refill,
      (error) => {
        throw error;
      },
    );
    for (const job of [...db.rows]) queue.enqueue(job);
    expect(queue.size.queued).toBeLessThanOrEqual(5);
    await queue.whenIdle();
    expect(processed).toHaveLength(50);
    expect(new Set(processed).size).toBe(50);
    expect(mostRunning).toBe(3);
    expect(mostQueued).toBeLessThanOrEqual(5);
  });

  it('resumes what waits in the database, and a job attached again while it runs runs again after', async () => {
    const db = waitingRows(4);
    const processed: string[] = [];
    const queue = new IngestQueue(
      { concurrency: 1, maxQueued: 2 },
      async (job) => {
        await tick();
        processed.push(job.fileId);
        if (processed.length > 1) db.done(job);
      },
      db.refill,
      () => undefined,
    );
    queue.resume();
    await tick();
    queue.enqueue({ vectorStoreId: 'vs_1', fileId: 'file-0', batchId: null });
    await queue.whenIdle();
    expect(processed.filter((id) => id === 'file-0')).toHaveLength(2);
    expect(new Set(processed)).toEqual(new Set(['file-0', 'file-1', 'file-2', 'file-3']));
  });

  it('aborts a running job with the reason cancelled, and every job with shutdown on close', async () => {
    const reasons: unknown[] = [];
    const queue = new IngestQueue(
      { concurrency: 2, maxQueued: 10 },
      (_job, signal) =>
        new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => {
            reasons.push(signal.reason);
            resolve();
          }),
        ),
      () => Promise.resolve([]),
      () => undefined,
    );
    queue.enqueue({ vectorStoreId: 'vs_1', fileId: 'file-a', batchId: null });
    queue.enqueue({ vectorStoreId: 'vs_1', fileId: 'file-b', batchId: null });
    queue.abort({ vectorStoreId: 'vs_1', fileId: 'file-a' });
    queue.close();
    await tick();
    expect(reasons).toEqual(['cancelled', 'shutdown']);
    queue.enqueue({ vectorStoreId: 'vs_1', fileId: 'file-c', batchId: null });
    expect(queue.size).toEqual({ queued: 0, running: 0 });
  });
});
