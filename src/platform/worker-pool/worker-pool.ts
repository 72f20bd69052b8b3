import { Worker, type ResourceLimits, type TransferListItem, type WorkerOptions } from 'node:worker_threads';
import type { ReadyMessage, ResultMessage, TaskMessage } from './worker-protocol';

export interface WorkerPoolOptions {
  /** What the workers are called (thread names, error messages). */
  name: string;
  /** The module each worker runs (it calls `serveTasks`): a `.ts` file under tsx or vitest, `.js` once compiled. */
  entry: URL;
  /** Workers at most: started when a task needs one, replaced when one dies or is ended. */
  size: number;
  /** Tasks waiting for a worker at most; past it `run` refuses at once (`WorkerPoolBusyError`). */
  maxWaiting: number;
  /** Each worker's heap: a task that needs more ends its worker (`WorkerCrashError`), not the process. */
  resourceLimits?: ResourceLimits;
  /**
   * The bound on a new worker's start-up (loading its module) while a task waits on it: past it the worker is ended
   * and the task fails (`WorkerCrashError`). Default `DEFAULT_WORKER_STARTUP_MS`.
   */
  startupTimeoutMs?: number;
  /** Starts a worker (`new Worker`); tests give one that throws. */
  startWorker?: (loader: URL, options: WorkerOptions) => Worker;
}

/** The pool's workers are all busy and `maxWaiting` tasks already wait. */
export class WorkerPoolBusyError extends Error {
  override readonly name = 'WorkerPoolBusyError';
}
/** The pool was closed before the task ended. */
export class WorkerPoolClosedError extends Error {
  override readonly name = 'WorkerPoolClosedError';
}
/** The worker running the task died: it exited, threw outside the task, or ran out of memory. */
export class WorkerCrashError extends Error {
  override readonly name = 'WorkerCrashError';
}
/** The task ran past its `timeoutMs`: its worker was ended. */
export class WorkerTimeoutError extends Error {
  override readonly name = 'WorkerTimeoutError';
}
/** The task's handler threw in the worker: its error's name and message. */
export class WorkerTaskError extends Error {
  override readonly name = 'WorkerTaskError';
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(message);
  }
}

export interface RunOptions {
  /** Buffers moved to the worker rather than copied (they are unusable here afterwards). */
  transfer?: TransferListItem[];
  /** Aborting ends the task: it leaves the queue, or its worker is ended; `run` rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * The hard bound on the task's time in its worker, from when the worker is ready (a new worker's start-up does not
   * count): past it the worker is ended (`WorkerTimeoutError`).
   */
  timeoutMs?: number;
}

interface Pending<Task, Result> extends RunOptions {
  id: number;
  task: Task;
  resolve(result: Result): void;
  reject(error: unknown): void;
  detach(): void;
}

interface Slot<Task, Result> {
  worker: Worker;
  current: Pending<Task, Result> | null;
  timer: NodeJS.Timeout | null;
  /** Its module is loaded and serves tasks (`ReadyMessage`). */
  ready: boolean;
}

/** A new worker's start-up bound: tsx and PDF.js load in a few seconds even on a loaded machine. */
export const DEFAULT_WORKER_STARTUP_MS = 60_000;

const ENTRY_LOADER = new URL('./worker-entry.mjs', import.meta.url);

/**
 * A worker module beside the caller (`from`: its `import.meta.url`): `name.ts` while the caller runs from its
 * sources (tsx, vitest), `name.js` once compiled.
 */
export function siblingModule(name: string, from: string): URL {
  const extension = new URL(from).pathname.match(/\.[cm]?[jt]s$/)?.[0] ?? '.js';
  return new URL(`./${name}${extension}`, from);
}

/**
 * A bounded pool of `worker_threads` for CPU-heavy work that must not hold the server's event loop: at most `size`
 * workers, one task each at a time, at most `maxWaiting` tasks waiting (the rest refused). A task that throws fails
 * alone (`WorkerTaskError`); a worker that dies (exit, uncaught error, out of its `resourceLimits`), runs past the
 * task's `timeoutMs` or is aborted fails only its task and is replaced by a new one when a task next needs it.
 * Workers hold the process open only while they run a task; `close()` ends them all.
 */
export class WorkerPool<Task, Result> {
  private readonly slots: Array<Slot<Task, Result>> = [];
  private readonly waiting: Array<Pending<Task, Result>> = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: WorkerPoolOptions) {
    if (options.size < 1) throw new RangeError('A worker pool needs at least one worker.');
  }

  /** Workers alive, tasks running in them, and tasks waiting for one. */
  get stats(): { workers: number; running: number; waiting: number } {
    return {
      workers: this.slots.length,
      running: this.slots.filter((slot) => slot.current).length,
      waiting: this.waiting.length,
    };
  }

  run(task: Task, options: RunOptions = {}): Promise<Result> {
    if (this.closed)
      return Promise.reject(new WorkerPoolClosedError(`The ${this.options.name} pool is closed.`));
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    const free = this.slots.find((slot) => !slot.current);
    if (!free && this.slots.length >= this.options.size && this.waiting.length >= this.options.maxWaiting) {
      return Promise.reject(
        new WorkerPoolBusyError(
          `The ${this.options.name} pool is busy: ${this.options.size} running and ${this.options.maxWaiting} waiting.`,
        ),
      );
    }
    return new Promise<Result>((resolve, reject) => {
      const onAbort = () => this.abort(pending);
      const pending: Pending<Task, Result> = {
        ...options,
        id: this.nextId++,
        task,
        resolve,
        reject,
        detach: () => options.signal?.removeEventListener('abort', onAbort),
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(pending);
      this.pump();
    });
  }

  /** Ends every worker; tasks running or waiting reject with `WorkerPoolClosedError`. */
  async close(): Promise<void> {
    this.closed = true;
    const closedError = () => new WorkerPoolClosedError(`The ${this.options.name} pool was closed.`);
    for (const pending of this.waiting.splice(0)) settle(pending, () => pending.reject(closedError()));
    const ending = this.slots.splice(0).map((slot) => {
      if (slot.timer) clearTimeout(slot.timer);
      const current = slot.current;
      slot.current = null;
      if (current) settle(current, () => current.reject(closedError()));
      return slot.worker.terminate().catch(() => undefined);
    });
    await Promise.all(ending);
  }

  private pump(): void {
    while (this.waiting.length > 0 && !this.closed) {
      let slot: Slot<Task, Result> | null;
      try {
        slot = this.slots.find((candidate) => !candidate.current) ?? this.spawn();
      } catch (error) {
        // No worker could start (too many threads, no memory…): the task that needed it fails, not the queue.
        const pending = this.waiting.shift()!;
        settle(pending, () =>
          pending.reject(
            new WorkerCrashError(
              `The ${this.options.name} worker could not start: ${error instanceof Error ? error.message : String(error)}`,
            ),
          ),
        );
        continue;
      }
      if (!slot) return;
      this.dispatch(slot, this.waiting.shift()!);
    }
  }

  private spawn(): Slot<Task, Result> | null {
    if (this.slots.length >= this.options.size) return null;
    const startWorker = this.options.startWorker ?? ((loader, options) => new Worker(loader, options));
    const worker = startWorker(ENTRY_LOADER, {
      name: this.options.name,
      workerData: { entry: this.options.entry.href },
      resourceLimits: this.options.resourceLimits,
    });
    worker.unref();
    const slot: Slot<Task, Result> = { worker, current: null, timer: null, ready: false };
    worker.on('message', (message: ResultMessage<Result> | ReadyMessage) =>
      'ready' in message ? this.started(slot) : this.finish(slot, message),
    );
    worker.on('error', (error) =>
      this.retire(slot, new WorkerCrashError(`The ${this.options.name} worker failed: ${error.message}`)),
    );
    worker.on('exit', (code) =>
      this.retire(slot, new WorkerCrashError(`The ${this.options.name} worker exited (code ${code}).`)),
    );
    this.slots.push(slot);
    return slot;
  }

  private dispatch(slot: Slot<Task, Result>, pending: Pending<Task, Result>): void {
    slot.current = pending;
    slot.worker.ref();
    if (slot.ready) this.startTimer(slot);
    else this.startStartupTimer(slot);
    const message: TaskMessage<Task> = { id: pending.id, task: pending.task };
    try {
      slot.worker.postMessage(message, pending.transfer ?? []);
    } catch (error) {
      // The task cannot be handed over (not cloneable): it fails, the worker is as good as before.
      this.release(slot);
      settle(pending, () => pending.reject(error));
      this.pump();
    }
  }

  private started(slot: Slot<Task, Result>): void {
    slot.ready = true;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    if (slot.current) this.startTimer(slot);
  }

  /** A task waits on a worker that is not ready yet: its start-up is bounded on its own. */
  private startStartupTimer(slot: Slot<Task, Result>): void {
    const startupMs = this.options.startupTimeoutMs ?? DEFAULT_WORKER_STARTUP_MS;
    slot.timer = setTimeout(
      () =>
        this.retire(
          slot,
          new WorkerCrashError(`The ${this.options.name} worker did not start within ${startupMs} ms.`),
        ),
      startupMs,
    );
  }

  /** The running task's time bound, if it has one. */
  private startTimer(slot: Slot<Task, Result>): void {
    const timeoutMs = slot.current?.timeoutMs;
    if (timeoutMs === undefined) return;
    slot.timer = setTimeout(
      () => this.retire(slot, new WorkerTimeoutError(`The task ran past ${timeoutMs} ms and was ended.`)),
      timeoutMs,
    );
  }

  private finish(slot: Slot<Task, Result>, message: ResultMessage<Result>): void {
    const pending = slot.current;
    if (!pending || pending.id !== message.id) return;
    this.release(slot);
    settle(pending, () =>
      message.ok
        ? pending.resolve(message.result)
        : pending.reject(new WorkerTaskError(message.error.name, message.error.message)),
    );
    this.pump();
  }

  private abort(pending: Pending<Task, Result>): void {
    const at = this.waiting.indexOf(pending);
    if (at !== -1) {
      this.waiting.splice(at, 1);
      settle(pending, () => pending.reject(pending.signal?.reason));
      return;
    }
    const slot = this.slots.find((candidate) => candidate.current === pending);
    if (slot) this.retire(slot, pending.signal?.reason);
  }

  /** The worker is ended and forgotten; its task, if any, rejects with `error`. A new one starts when needed. */
  private retire(slot: Slot<Task, Result>, error: unknown): void {
    const at = this.slots.indexOf(slot);
    if (at === -1) return;
    this.slots.splice(at, 1);
    const pending = slot.current;
    this.release(slot);
    void slot.worker.terminate().catch(() => undefined);
    if (pending) settle(pending, () => pending.reject(error));
    this.pump();
  }

  private release(slot: Slot<Task, Result>): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.current = null;
    slot.worker.unref();
  }
}

function settle(pending: { detach(): void }, outcome: () => void): void {
  pending.detach();
  outcome();
}
