import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestTask } from './test-support/test-worker';
import {
  WorkerCrashError,
  WorkerPool,
  WorkerPoolBusyError,
  WorkerPoolClosedError,
  WorkerTimeoutError,
  type WorkerPoolOptions,
} from './worker-pool';

const ENTRY = new URL('./test-support/test-worker.ts', import.meta.url);
const pools: Array<WorkerPool<TestTask, unknown>> = [];

function pool(options: Partial<WorkerPoolOptions> = {}): WorkerPool<TestTask, unknown> {
  const created = new WorkerPool<TestTask, unknown>({
    name: 'test',
    entry: ENTRY,
    size: 1,
    maxWaiting: 4,
    ...options,
  });
  pools.push(created);
  return created;
}

const echoPools: Array<WorkerPool<string, string>> = [];

/** A pool of one of the string-echoing workers of test-support (`module`: its name), closed after the test. */
function echoPool(module: string, options: Partial<WorkerPoolOptions> = {}): WorkerPool<string, string> {
  const created = new WorkerPool<string, string>({
    name: module,
    entry: new URL(`./test-support/${module}.ts`, import.meta.url),
    size: 1,
    maxWaiting: 1,
    ...options,
  });
  echoPools.push(created);
  return created;
}

/** A task's hold on its worker: `held()` once it holds it, `release()` lets it go. */
function mainFlag() {
  const flag = new SharedArrayBuffer(8);
  const view = new Int32Array(flag);
  return { flag, held: () => Atomics.load(view, 1) === 1, release: () => Atomics.store(view, 0, 1) };
}

/** What the task failed with (attached at once, so an early rejection is not reported as unhandled). */
const failureOf = (task: Promise<unknown>) =>
  task.then(
    () => new Error('the task did not fail'),
    (error: unknown) => error,
  );

const tick = () => new Promise((resolve) => setImmediate(resolve));

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await tick();
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((created) => created.close()));
  await Promise.all(echoPools.splice(0).map((created) => created.close()));
});

describe('WorkerPool', () => {
  it('runs a task in a worker (TypeScript sources under vitest) and moves a buffer to it', async () => {
    const workers = pool();
    expect(await workers.run({ kind: 'echo', value: 'hello' })).toBe('hello from a worker');
    const bytes = new Uint8Array([1, 2, 3, 250]);
    expect(await workers.run({ kind: 'sum', bytes }, { transfer: [bytes.buffer] })).toBe(256);
    // Moved, not copied: this side's view is detached.
    expect(bytes.byteLength).toBe(0);
  });

  it("keeps this thread's event loop serving while a worker is held: the worker waits for this thread", async () => {
    const workers = pool();
    const { flag, held, release } = mainFlag();
    const task = workers.run({ kind: 'wait-for-main', flag });
    // This thread turns its event loop while the task holds its thread; were the task on this thread, the task
    // would wait for ever for a release that this thread could never make.
    await until(held);
    await new Promise((resolve) => setTimeout(resolve, 1));
    release();
    expect(await task).toBe('released');
  });

  it('fails only the task whose handler throws, and the worker goes on', async () => {
    const workers = pool();
    await expect(workers.run({ kind: 'throw', message: 'broken input' })).rejects.toMatchObject({
      name: 'WorkerTaskError',
      errorName: 'TypeError',
      message: 'broken input',
    });
    expect(await workers.run({ kind: 'echo', value: 'next' })).toBe('next from a worker');
    expect(workers.stats.workers).toBe(1);
  });

  it('fails only the task whose worker dies, and replaces the worker', async () => {
    const workers = pool({ size: 1 });
    const dying = failureOf(workers.run({ kind: 'exit' }));
    const after = workers.run({ kind: 'echo', value: 'after' });
    const crash = await dying;
    expect(crash).toBeInstanceOf(WorkerCrashError);
    expect((crash as Error).message).toContain('exited (code 3)');
    expect(await after).toBe('after from a worker');
    expect(workers.stats).toEqual({ workers: 1, running: 0, waiting: 0 });
  });

  it('ends a worker that runs out of its heap bound, failing its task only', async () => {
    const workers = pool({ resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 } });
    await expect(workers.run({ kind: 'hog' })).rejects.toBeInstanceOf(WorkerCrashError);
    expect(await workers.run({ kind: 'echo', value: 'still here' })).toBe('still here from a worker');
  });

  it('bounds what waits: past maxWaiting a task is refused at once', async () => {
    const workers = pool({ size: 1, maxWaiting: 2 });
    const { flag, release } = mainFlag();
    const running = workers.run({ kind: 'wait-for-main', flag });
    const waiting = [workers.run({ kind: 'echo', value: 'a' }), workers.run({ kind: 'echo', value: 'b' })];
    await expect(workers.run({ kind: 'echo', value: 'c' })).rejects.toBeInstanceOf(WorkerPoolBusyError);
    expect(workers.stats).toMatchObject({ workers: 1, waiting: 2 });
    release();
    await running;
    expect(await Promise.all(waiting)).toEqual(['a from a worker', 'b from a worker']);
  });

  it('ends a task past its timeout and a task whose signal aborts (running or waiting)', async () => {
    const workers = pool({ size: 1 });
    await expect(workers.run({ kind: 'spin' }, { timeoutMs: 50 })).rejects.toBeInstanceOf(WorkerTimeoutError);
    const running = new AbortController();
    const waiting = new AbortController();
    const spinning = failureOf(workers.run({ kind: 'spin' }, { signal: running.signal }));
    const queued = failureOf(workers.run({ kind: 'echo', value: 'never' }, { signal: waiting.signal }));
    await until(() => workers.stats.running === 1);
    waiting.abort('cancelled');
    expect(await queued).toBe('cancelled');
    running.abort('cancelled too');
    expect(await spinning).toBe('cancelled too');
    expect(await workers.run({ kind: 'echo', value: 'fresh' })).toBe('fresh from a worker');
  });

  it("counts a task's time from when its worker is ready, not the worker's start-up", async () => {
    const slow = echoPool('slow-start-worker');
    // The start-up alone (500 ms and tsx) is past the 200 ms bound; the task itself takes none of it.
    expect(await slow.run('quick', { timeoutMs: 200 })).toBe('quick from a slow worker');
  });

  it('ends a worker whose start-up never ends, failing its task, by the start-up bound', async () => {
    const stuck = echoPool('stuck-start-worker', { startupTimeoutMs: 300 });
    const failure = await failureOf(stuck.run('never', { timeoutMs: 100 }));
    expect(failure).toBeInstanceOf(WorkerCrashError);
    expect((failure as Error).message).toBe('The stuck-start-worker worker did not start within 300 ms.');
    expect(stuck.stats).toEqual({ workers: 0, running: 0, waiting: 0 });
  });

  it('close ends running and waiting tasks and every worker', async () => {
    const workers = pool({ size: 1 });
    const spinning = failureOf(workers.run({ kind: 'spin' }));
    const queued = failureOf(workers.run({ kind: 'echo', value: 'never' }));
    await until(() => workers.stats.running === 1);
    await workers.close();
    expect(await spinning).toBeInstanceOf(WorkerPoolClosedError);
    expect(await queued).toBeInstanceOf(WorkerPoolClosedError);
    expect(workers.stats.workers).toBe(0);
    await expect(workers.run({ kind: 'echo', value: 'late' })).rejects.toBeInstanceOf(WorkerPoolClosedError);
  });

  it('fails the task whose worker cannot start, keeping nothing waiting, and starts one for the next', async () => {
    let failures = 1;
    const workers = pool({
      startWorker(loader, options) {
        if (failures-- > 0) throw new Error('EAGAIN: no thread to spare');
        return new Worker(loader, options);
      },
    });
    const failure = await failureOf(workers.run({ kind: 'echo', value: 'first' }));
    expect(failure).toBeInstanceOf(WorkerCrashError);
    expect((failure as Error).message).toMatch(/could not start: EAGAIN/);
    expect(workers.stats).toEqual({ workers: 0, running: 0, waiting: 0 });
    expect(await workers.run({ kind: 'echo', value: 'next' })).toBe('next from a worker');
  });

  it('reports a task that cannot be handed over without losing the worker', async () => {
    const workers = pool();
    await expect(workers.run({ kind: 'echo', value: (() => 1) as unknown as string })).rejects.toThrow();
    expect(await workers.run({ kind: 'echo', value: 'ok' })).toBe('ok from a worker');
    expect(workers.stats.workers).toBe(1);
  });
});
