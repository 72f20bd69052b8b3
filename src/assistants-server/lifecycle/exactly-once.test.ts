import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../platform/logger';
import { EmulatorClock } from '../emulation/clock/emulator-clock';
import type { LifecycleEvent } from '../events/lifecycle-events';
import type { AssistantsStore } from '../store/assistants-store';
import { openSqliteStore } from '../store/sqlite-assistants-store';
import { threeQueuedRuns } from '../test-support/broken-rows';
import { createHarness, TEST_START_MS } from '../test-support/emulator-harness';
import { RunLifecycle } from './run-lifecycle';

/**
 * Two instances on one database (here two stores on one SQLite file): each transition happens once, whichever
 * instance gets there first; the other's attempt, decided on what it read before, is a no-op, not an error.
 */
let directory: string;
let dbPath: string;
const opened: AssistantsStore[] = [];

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'runboard-exactly-once-'));
  dbPath = join(directory, 'emulator.sqlite');
});
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  rmSync(directory, { recursive: true, force: true });
});

/** Three queued runs written to the file, their start due one second after TEST_START_MS. */
async function queuedRuns() {
  const harness = await createHarness({ dbPath });
  const runs = await threeQueuedRuns(harness);
  await harness.close();
  return runs;
}

/** One instance: its own store on the file, and its lifecycle at `atMs`; `errors` collects its error log lines. */
async function instance(atMs: number) {
  const store = openSqliteStore(dbPath);
  opened.push(store);
  const errors: string[] = [];
  const clock = await EmulatorClock.load(store.settings, () => atMs);
  const lifecycle = new RunLifecycle(
    store,
    clock,
    { timeScale: 1 },
    createLogger('error', (l) => errors.push(l), false),
  );
  const published: LifecycleEvent[] = [];
  store.events.subscribe(({ event }) => published.push(event));
  return { store, lifecycle, errors, published };
}

describe('a transition another instance applied first', () => {
  it('is a no-op for the instance that found it due before: one start, one answer, no error', async () => {
    const [run] = await queuedRuns();
    const at = TEST_START_MS + 5_000; // start and finish both due
    const a = await instance(at);
    const b = await instance(at);

    // A finds the run's start due, then B (another process) applies the start and the finish.
    const staleDue = await a.store.runs.firstDueInThread(run!.thread_id, at);
    expect(staleDue).toMatchObject({ id: run!.id, transition: 'start' });
    while ((await b.lifecycle.catchUpThread(run!.thread_id, at)) > 0);
    expect((await b.store.runs.get(run!.id))!.run.status).toBe('completed');

    // A now applies what it found: nothing happens, nothing is published, nothing is logged.
    a.store.runs.claimDue = vi.fn().mockResolvedValueOnce([staleDue]).mockResolvedValue([]);
    expect(await a.lifecycle.processDue(at)).toBe(1);
    expect(a.published).toEqual([]);
    expect(a.errors).toEqual([]);
    const stored = (await a.store.runs.get(run!.id))!;
    expect(stored.run).toMatchObject({
      status: 'completed',
      started_at: Math.floor((TEST_START_MS + 1_000) / 1000),
    });
    const messages = await a.store.messages.inThread(run!.thread_id);
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant']);
    expect(await a.store.steps.ofRun(run!.id)).toHaveLength(1);
  });

  it('a write decided on a status read before another instance changed it is refused by the compare-and-set', async () => {
    const [run] = await queuedRuns();
    const at = TEST_START_MS + 5_000;
    const a = await instance(at);
    const b = await instance(at);
    const readByA = (await a.store.runs.get(run!.id))!;
    expect(readByA.run.status).toBe('queued');
    await b.lifecycle.cancel(run!.id, at);

    readByA.run.metadata = { written: 'by A, on a stale read' };
    const written = await a.store.transaction((tx) => tx.runs.update(readByA, { expectedStatus: 'queued' }));
    expect(written).toBe(false);
    expect(a.published).toEqual([]);
    const stored = (await a.store.runs.get(run!.id))!;
    expect(stored.run).toMatchObject({ status: 'cancelling', metadata: {} });
  });

  it('a request decides on the run as stored now: a cancel after another instance completed it is refused', async () => {
    const [run] = await queuedRuns();
    const at = TEST_START_MS + 5_000;
    const a = await instance(at);
    const b = await instance(at);
    const seenByA = (await a.store.runs.get(run!.id))!; // what a route read: queued, cancellable
    expect(seenByA.run.status).toBe('queued');
    while ((await b.lifecycle.catchUpThread(run!.thread_id, at)) > 0);

    await expect(a.lifecycle.cancel(seenByA.run.id, at)).rejects.toMatchObject({
      status: 400,
      message: "Cannot cancel run with status 'completed'.",
    });
    expect((await a.store.runs.get(run!.id))!.run.status).toBe('completed');
  });
});
