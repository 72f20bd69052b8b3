import type { Hono } from 'hono';
import type { Logger } from '../platform/logger';
import { createAdminRouter } from './admin/admin-router';
import { EmulatorClock } from './clock/emulator-clock';
import type { LifecycleEvents } from './events/lifecycle-events';
import type { Run, Thread } from '../shared/openai-types';
import { RunLifecycle, type LifecycleSettings } from './lifecycle/run-lifecycle';
import { Scheduler } from './lifecycle/scheduler';
import { FaultRegistry, DEFAULT_FAULT_SEED } from './faults/fault-registry';
import type { FaultSleep } from './faults/fault-injection';
import { createApiRouter } from './routes/api-router';
import { seedDemo } from './seed/demo-seed';
import { EmulatorStore } from './store/emulator-store';

export interface EmulatorOptions {
  /** SQLite file, or ':memory:'. */
  dbPath: string;
  /** 2 makes every lifecycle delay half as long. */
  timeScale: number;
  /** When set, /v1 requires `Authorization: Bearer <apiKey>`; otherwise any key (or none) is accepted. */
  apiKey: string | null;
  /** Seed the demo when the database is empty. */
  seedDemo: boolean;
  logger: Logger;
  /**
   * Tests: the wall clock stands still at this time (ms). Emulator time then moves only through the admin clock,
   * and the scheduler's timer never fires on its own.
   */
  frozenWallClockMs?: number;
  /** Fault rules in force from the start (`RUNBOARD_FAULTS`) and the default seed of their generators. */
  faults?: { rules: readonly unknown[]; seed: number };
  /** Tests: how injected latency and hangs wait. */
  faultSleep?: FaultSleep;
}

export interface Emulator {
  /** Mounted at /v1. */
  api: Hono;
  /** Mounted at /api/emulator. */
  admin: Hono;
  /** Every change of a thread, run, step or message, once committed: streams and the change feed subscribe here. */
  events: LifecycleEvents;
  /** Read-only access to what the emulator holds, for Runboard's query index (built from it, then kept by `events`). */
  data: EmulatorData;
  close(): void;
}

export interface EmulatorData {
  threads(): Iterable<Thread>;
  /** Every run, or one thread's, oldest write first. */
  runs(threadId?: string): Iterable<Run>;
  /** Emulator time in ms (ahead of the wall clock once the admin clock was advanced). */
  nowMs(): number;
}

export function createEmulator(options: EmulatorOptions): Emulator {
  const store = new EmulatorStore(options.dbPath, (error) =>
    options.logger.error('A lifecycle event listener failed', {
      error: error instanceof Error ? error.message : String(error),
    }),
  );
  const frozen = options.frozenWallClockMs;
  const clock = new EmulatorClock(store.settings, frozen === undefined ? Date.now : () => frozen);
  const settings: LifecycleSettings = { timeScale: options.timeScale };
  let scheduler: Scheduler | null = null;
  const reschedule = () => scheduler?.reschedule();
  const lifecycle = new RunLifecycle(store, clock, settings, reschedule);

  if (options.seedDemo && store.isEmpty()) {
    store.transaction(() => seedDemo(store, lifecycle, clock.now()));
    options.logger.info('Emulator seeded a demo: assistants, threads and runs in every status');
  }
  // Runs in flight when the server stopped resume here: whatever fell due meanwhile is applied at its due time.
  const caughtUp = lifecycle.processDue();
  if (caughtUp > 0) options.logger.info('Emulator resumed runs in flight', { transitions: caughtUp });

  if (frozen === undefined) {
    scheduler = new Scheduler(
      () => store.runs.nextDueAt(),
      () => clock.now(),
      () => lifecycle.processDue(),
      options.logger,
    );
    scheduler.reschedule();
  }

  const faults = new FaultRegistry(options.faults?.seed ?? DEFAULT_FAULT_SEED, options.faults?.rules ?? []);
  const context = { store, lifecycle, clock, settings };
  return {
    api: createApiRouter(context, {
      apiKey: options.apiKey,
      logger: options.logger,
      faults,
      faultSleep: options.faultSleep,
    }),
    admin: createAdminRouter({ ...context, reschedule }, options.logger, faults),
    events: store.events,
    data: {
      threads: () => store.threads.allThreads(),
      runs: (threadId) => store.runs.allRuns(threadId),
      nowMs: () => clock.now(),
    },
    close() {
      scheduler?.stop();
      store.close();
    },
  };
}
