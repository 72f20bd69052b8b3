import type { Browser } from '@playwright/test';
import type { RunboardApi } from './runboard-api';
import type { ServerProcess } from './server-process';

/** How long each bounded measurement may run; `BENCH_QUICK=1` shortens them for a smoke run of the bench itself. */
export interface BenchDurations {
  /** Requests counted per polling scenario (idle thread needs the longest: it polls every 15 s). */
  idlePollingMs: number;
  activePollingMs: number;
  hiddenPollingMs: number;
  naivePollingMs: number;
  statusChanges: number;
  loadMs: number;
  /** Sequential samples per latency figure (each loop also stops at `latencyLoopMs`). */
  latencySamples: number;
  latencyLoopMs: number;
  throughputMs: number;
  coldLoads: number;
  /** Queued runs whose transitions fall due at once (the lifecycle backlog). */
  backlogRuns: number;
}

export function benchDurations(quick: boolean): BenchDurations {
  return quick
    ? {
        idlePollingMs: 15_000,
        activePollingMs: 10_000,
        hiddenPollingMs: 10_000,
        naivePollingMs: 6_000,
        statusChanges: 3,
        loadMs: 10_000,
        latencySamples: 200,
        latencyLoopMs: 3_000,
        throughputMs: 2_000,
        coldLoads: 2,
        backlogRuns: 500,
      }
    : {
        idlePollingMs: 60_000,
        activePollingMs: 30_000,
        hiddenPollingMs: 30_000,
        naivePollingMs: 30_000,
        statusChanges: 10,
        loadMs: 60_000,
        latencySamples: 1_000,
        latencyLoopMs: 10_000,
        throughputMs: 5_000,
        coldLoads: 5,
        backlogRuns: 3_000,
      };
}

export interface BenchContext {
  /** The emulator server with the built dashboard. */
  server: ServerProcess;
  /** Start other servers from here (it holds the bench's own dashboard build). */
  serverRoot: string;
  api: RunboardApi;
  browser: Browser;
  durations: BenchDurations;
  log(message: string): void;
}
