import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger';
import { EmulatorClock } from '../emulation/clock/emulator-clock';
import { openSqliteStore } from '../store/sqlite-assistants-store';
import { NO_STORE_INDEX } from '../store/store-index';
import { corruptRun, THROWS_ON_START, threeQueuedRuns, UNREADABLE_RUN } from '../test-support/broken-rows';
import { createHarness, TEST_START_MS, type Harness } from '../test-support/emulator-harness';
import { DUE_BATCH_SIZE, RunLifecycle, THREAD_CATCH_UP_LIMIT } from './run-lifecycle';

/**
 * One bad run record (a bug, a row edited by hand) must not stop the lifecycle: its run fails (or, unreadable, is
 * set aside), one log line names it, and every other run goes on.
 */
let directory: string;
let dbPath: string;
let logLines: string[];
const open: Array<{ close(): unknown }> = [];

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'runboard-broken-'));
  dbPath = join(directory, 'emulator.sqlite');
  logLines = [];
});
afterEach(() => {
  for (const handle of open.splice(0)) handle.close();
  rmSync(directory, { recursive: true, force: true });
});

const logger = () => createLogger('error', (line) => logLines.push(line), false);

async function start(atMs = TEST_START_MS): Promise<Harness> {
  const harness = await createHarness({ dbPath, logger: logger(), frozenWallClockMs: atMs });
  open.push(harness);
  return harness;
}

/** A run's row as stored: read beside the server, so reading it applies nothing (a /v1 read catches up). */
function storedRow(runId: string): { status: string; due_at: number | null } {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare('SELECT status, due_at FROM runs WHERE id = ?').get(runId) as {
      status: string;
      due_at: number | null;
    };
  } finally {
    db.close();
  }
}

const dueAt = (runId: string) => storedRow(runId).due_at;
const storedStatus = (runId: string) => storedRow(runId).status;

const linesNaming = (runId: string) => logLines.filter((line) => line.includes(runId));

describe('a broken run record', () => {
  it('at start: the server starts, the other runs progress, the bad runs fail or are set aside, one log line each', async () => {
    const before = await start();
    const [unreadable, throwing, healthy] = await threeQueuedRuns(before);
    await before.close();
    corruptRun(dbPath, unreadable!.id, UNREADABLE_RUN);
    corruptRun(dbPath, throwing!.id, THROWS_ON_START);

    const after = await start(TEST_START_MS + 5_000);
    const runs = after.client.beta.threads.runs;
    expect((await runs.retrieve(healthy!.id, { thread_id: healthy!.thread_id })).status).toBe('completed');
    const failed = await runs.retrieve(throwing!.id, { thread_id: throwing!.thread_id });
    expect(failed).toMatchObject({
      status: 'failed',
      failed_at: Math.floor((TEST_START_MS + 1_000) / 1000),
      last_error: { code: 'server_error', message: 'Sorry, something went wrong.' },
      expires_at: null,
    });
    expect(dueAt(unreadable!.id)).toBeNull();
    expect(linesNaming(throwing!.id)).toHaveLength(1);
    expect(linesNaming(throwing!.id)[0]).toContain('A run failed: its scheduled transition threw');
    expect(linesNaming(unreadable!.id)).toHaveLength(1);
    expect(linesNaming(unreadable!.id)[0]).toContain('set aside');
    // A first build of the query index (an older database) reads around it; its thread stays locked by it, and
    // can be deleted.
    let firstBuildRead: string[] = [];
    const reader = openSqliteStore(dbPath, undefined, ({ stored }) => {
      firstBuildRead = [...stored.runs()].map((run) => run.id);
      return NO_STORE_INDEX;
    });
    open.push(reader);
    expect(firstBuildRead.sort()).toEqual([throwing!.id, healthy!.id].sort());
    await expect(
      runs.create(unreadable!.thread_id, { assistant_id: healthy!.assistant_id }),
    ).rejects.toMatchObject({
      status: 400,
      message: `400 Thread ${unreadable!.thread_id} already has an active run ${unreadable!.id}.`,
    });
    expect((await after.client.beta.threads.delete(unreadable!.thread_id)).deleted).toBe(true);

    // /v1 answers, and later transitions (a new run; the bad runs' would-be expiry) log nothing more about them.
    const thread = await after.client.beta.threads.create({ messages: [{ role: 'user', content: 'again' }] });
    const next = await runs.create(thread.id, { assistant_id: healthy!.assistant_id });
    await after.advance(700);
    expect((await runs.retrieve(next.id, { thread_id: thread.id })).status).toBe('completed');
    expect(linesNaming(unreadable!.id)).toHaveLength(1);
    expect(linesNaming(throwing!.id)).toHaveLength(1);
  });

  it('while running: a row broken under a live server fails that run only, and /v1 goes on answering', async () => {
    const harness = await start();
    const [unreadable, throwing, healthy] = await threeQueuedRuns(harness);
    corruptRun(dbPath, unreadable!.id, UNREADABLE_RUN);
    corruptRun(dbPath, throwing!.id, THROWS_ON_START);

    await harness.advance(5);
    const runs = harness.client.beta.threads.runs;
    expect((await runs.retrieve(healthy!.id, { thread_id: healthy!.thread_id })).status).toBe('completed');
    expect((await runs.retrieve(throwing!.id, { thread_id: throwing!.thread_id })).status).toBe('failed');
    expect(dueAt(unreadable!.id)).toBeNull();
    expect((await harness.client.beta.assistants.list()).data).toHaveLength(1);
    expect(linesNaming(unreadable!.id)).toHaveLength(1);
    expect(linesNaming(throwing!.id)).toHaveLength(1);
  });

  it('under the live timer (no clock advance, no reads): the other runs progress and each bad one is logged once', async () => {
    // The real wall clock, lifecycle steps of 100 ms.
    const harness = await createHarness({
      dbPath,
      logger: logger(),
      timeScale: 10,
      frozenWallClockMs: undefined,
    });
    open.push(harness);
    const [unreadable, throwing, healthy] = await threeQueuedRuns(harness);
    corruptRun(dbPath, unreadable!.id, UNREADABLE_RUN);
    corruptRun(dbPath, throwing!.id, THROWS_ON_START);
    const status = (run: typeof healthy) => storedStatus(run!.id);
    await expect.poll(() => status(healthy), { timeout: 5_000 }).toBe('completed');
    expect(status(throwing)).toBe('failed');
    expect(dueAt(unreadable!.id)).toBeNull();
    expect((await harness.client.beta.assistants.list()).data).toHaveLength(1);
    expect(linesNaming(unreadable!.id)).toHaveLength(1);
    expect(linesNaming(throwing!.id)).toHaveLength(1);
  });

  it('a step still in progress when its run fails ends failed with it', async () => {
    const harness = await start();
    const [run] = await threeQueuedRuns(harness);
    await harness.advance(1); // in_progress, finish due one second later
    corruptRun(dbPath, run!.id, "body = json_set(body, '$.assistant_id', json('[]'))");
    const db = new Database(dbPath);
    // A step in progress, as a model run leaves while it writes: the failing run must end it.
    db.prepare(
      `INSERT INTO run_steps (id, run_id, created_at, body) VALUES ('step_left', ?, 0, json_object(
         'id', 'step_left', 'object', 'thread.run.step', 'run_id', ?, 'thread_id', ?, 'status', 'in_progress',
         'step_details', json_object('type', 'tool_calls', 'tool_calls', json_array())))`,
    ).run(run!.id, run!.id, run!.thread_id);
    db.close();
    const store = openSqliteStore(dbPath);
    open.push(store);
    const clock = await EmulatorClock.load(store.settings, () => TEST_START_MS + 10_000);
    // Its finish throws: the assistant lookup is handed an array for an id.
    const lifecycle = new RunLifecycle(store, clock, { timeScale: 1 }, logger());
    expect(await lifecycle.processDue()).toBe(3); // the three runs: two complete, this one fails
    expect((await store.runs.get(run!.id))!.run.status).toBe('failed');
    expect((await store.steps.ofRun(run!.id)).find((step) => step.id === 'step_left')).toMatchObject({
      status: 'failed',
      last_error: { code: 'server_error' },
    });
  });
});

describe('processing due transitions', () => {
  /** A lifecycle on the same file at a later time, with nothing applied yet (no startup catch-up, no timer). */
  async function lifecycleAt(atMs: number) {
    const store = openSqliteStore(dbPath);
    open.push(store);
    const clock = await EmulatorClock.load(store.settings, () => atMs);
    return { store, lifecycle: new RunLifecycle(store, clock, { timeScale: 1 }, logger()) };
  }

  it('an unreadable row whose schedule cannot even be cleared is skipped in memory: logged once, never picked again', async () => {
    const harness = await start();
    const [unreadable] = await threeQueuedRuns(harness);
    await harness.close();
    corruptRun(dbPath, unreadable!.id, UNREADABLE_RUN);
    const { store, lifecycle } = await lifecycleAt(TEST_START_MS + 1_500); // the starts are due
    store.runs.setAside = () => {
      throw new Error('attempt to write a readonly database');
    };
    expect(await lifecycle.processDue()).toBe(3);
    expect(await lifecycle.processDue()).toBe(0);
    expect(await lifecycle.catchUpThread(unreadable!.thread_id)).toBe(0);
    expect(await lifecycle.nextDueAt()).toBe(TEST_START_MS + 2_000); // the healthy runs' finish, not the skipped start
    expect(linesNaming(unreadable!.id)).toHaveLength(1);
  });

  it('a /v1 request about a thread applies what is due for that thread only; other requests apply nothing', async () => {
    // Two emulators on one file: `later` (5 s ahead) sees runs written by `now`, and only its reads can move them.
    const later = await start(TEST_START_MS + 5_000);
    const [first, second] = await threeQueuedRuns(await start());
    const statusInFile = (id: string) => {
      const db = new Database(dbPath, { readonly: true });
      try {
        return (db.prepare('SELECT status FROM runs WHERE id = ?').get(id) as { status: string }).status;
      } finally {
        db.close();
      }
    };
    expect((await later.client.beta.assistants.list()).data).toHaveLength(1);
    expect(statusInFile(first!.id)).toBe('queued');
    const read = await later.client.beta.threads.runs.retrieve(first!.id, { thread_id: first!.thread_id });
    expect(read.status).toBe('completed');
    expect(statusInFile(second!.id)).toBe('queued');
  });

  it(`applies at most ${DUE_BATCH_SIZE} transitions per call; the rest on the next calls`, async () => {
    const harness = await start();
    const assistant = await harness.client.beta.assistants.create({ model: 'gpt-4o' });
    const count = DUE_BATCH_SIZE + 30;
    for (let i = 0; i < count; i++) {
      const thread = await harness.client.beta.threads.create();
      await harness.client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    }
    await harness.close();
    const { lifecycle } = await lifecycleAt(TEST_START_MS + 1_500); // each run's start is due, not its finish
    expect(await lifecycle.processDue()).toBe(DUE_BATCH_SIZE);
    expect(await lifecycle.processDue()).toBe(30);
    expect(await lifecycle.processDue()).toBe(0);
  });

  it('a read of one thread applies only that thread’s due transitions, a bounded number', async () => {
    const harness = await start();
    const [first, second] = await threeQueuedRuns(harness);
    await harness.close();
    const { store, lifecycle } = await lifecycleAt(TEST_START_MS + 5_000);
    expect(await lifecycle.catchUpThread(first!.thread_id)).toBe(2); // start, then finish
    expect((await store.runs.get(first!.id))!.run.status).toBe('completed');
    expect((await store.runs.get(second!.id))!.run.status).toBe('queued');
    expect(THREAD_CATCH_UP_LIMIT).toBeGreaterThanOrEqual(2);
  });
});
