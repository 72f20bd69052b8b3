import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmulatorClock } from '../assistants-server/emulation/clock/emulator-clock';
import { createQuietAssistantsServer } from '../assistants-server/test-support/quiet-server';
import { silentLogger } from '../platform/logger';
import { DUE_BATCH_SIZE, RunLifecycle } from '../assistants-server/lifecycle/run-lifecycle';
import { openSqliteStore } from '../assistants-server/store/sqlite-assistants-store';
import type { BenchContext } from './harness/bench-context';
import type { Figure } from './harness/figures';
import { round, summarize } from './harness/stats';

const GROUP = 'Lifecycle';
/** The longest the event loop may be held by one batch of due transitions. */
const BATCH_STALL_TARGET_MS = 100;
const CREATED_AT_MS = Date.UTC(2026, 0, 15, 9, 0, 0);

/**
 * A backlog of due transitions (a restart after a stop, a big clock advance): N queued runs whose start and finish
 * are both due. The naive way, what every /v1 request did before, applies all of them in one call; the scheduler
 * applies DUE_BATCH_SIZE per turn of the event loop. Each call is timed: the time it holds the event loop.
 */
export async function measureDueBacklog(context: BenchContext): Promise<Figure[]> {
  const runs = context.durations.backlogRuns;
  const directory = mkdtempSync(join(tmpdir(), 'runboard-bench-backlog-'));
  try {
    const dbPath = join(directory, 'backlog.sqlite');
    context.log(`lifecycle: ${runs.toLocaleString('en')} queued runs`);
    await queueRuns(dbPath, runs);
    const copy = join(directory, 'backlog-copy.sqlite');
    copyFileSync(dbPath, copy);

    const unbounded = await timedCalls(dbPath, Infinity);
    const batched = await timedCalls(copy, DUE_BATCH_SIZE);
    const stalls = summarize(batched.callMs);
    const detail = `${runs.toLocaleString('en')} queued runs, ${batched.transitions.toLocaleString('en')} transitions due at once (start and finish); SQLite file`;
    return [
      {
        group: GROUP,
        name: `Longest event-loop hold by one batch of due transitions (${DUE_BATCH_SIZE} per batch)`,
        value: round(stalls.max ?? 0),
        unit: 'ms',
        target: { comparison: '<=', value: BATCH_STALL_TARGET_MS },
        naive: { label: 'all due transitions in one call', value: round(unbounded.callMs[0] ?? 0) },
        detail: `${detail}; ${stalls.count} batches, mean ${round(stalls.mean ?? 0)} ms, p95 ${round(stalls.p95 ?? 0)} ms`,
      },
      {
        group: GROUP,
        name: 'Whole backlog applied in batches',
        value: round(batched.callMs.reduce((sum, ms) => sum + ms, 0)),
        unit: 'ms',
        naive: { label: 'in one call', value: round(unbounded.callMs[0] ?? 0) },
        detail,
      },
    ];
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Creates the runs with the clock standing still, so every one is still queued when the file is closed. */
async function queueRuns(dbPath: string, count: number): Promise<void> {
  const emulator = await createQuietAssistantsServer({ dbPath, frozenWallClockMs: CREATED_AT_MS });
  const post = async (path: string, body: unknown) => {
    const response = await emulator.api.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${path} answered ${response.status}`);
    return (await response.json()) as { id: string };
  };
  try {
    const assistant = await post('/assistants', { model: 'gpt-4o' });
    for (let i = 0; i < count; i++) {
      await post('/threads/runs', {
        assistant_id: assistant.id,
        thread: { messages: [{ role: 'user', content: `Question ${i}` }] },
      });
    }
  } finally {
    await emulator.close();
  }
}

/** Opens the file ten seconds later and applies everything due, `limit` per call, timing each call. */
async function timedCalls(dbPath: string, limit: number): Promise<{ callMs: number[]; transitions: number }> {
  const store = openSqliteStore(dbPath);
  try {
    const clock = await EmulatorClock.load(store.settings, () => CREATED_AT_MS + 10_000);
    const lifecycle = new RunLifecycle(store, clock, { timeScale: 1 }, silentLogger);
    const callMs: number[] = [];
    let transitions = 0;
    for (;;) {
      const started = performance.now();
      const applied = await lifecycle.processDue(clock.now(), limit);
      if (applied === 0) break;
      callMs.push(performance.now() - started);
      transitions += applied;
    }
    return { callMs, transitions };
  } finally {
    await store.close();
  }
}
