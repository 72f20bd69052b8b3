import { afterEach, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger';
import { EmulatorClock } from '../emulation/clock/emulator-clock';
import type { LifecycleEvent } from '../events/lifecycle-events';
import type { AssistantsStore } from '../store/assistants-store';
import { openPostgresStore } from '../store/postgres/postgres-assistants-store';
import { describePostgres, withPostgres } from '../store/postgres/test-support/with-postgres';
import { TEST_START_MS } from '../test-support/emulator-harness';
import { insertAssistant } from '../test-support/stored-assistant';
import { createThread } from './create-thread';
import { RunLifecycle } from './run-lifecycle';

/**
 * Instances on one PostgreSQL database, each its own store (a pool of its own on a server; PGlite's one connection
 * shared, interleaved) and lifecycle, leasing as its own owner: each due transition is applied once between them, and
 * the runs an instance claimed and never applied (it died) are applied by another once the lease runs out.
 */
const database = withPostgres();
const opened: AssistantsStore[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  await database.client.query(
    'TRUNCATE runs, threads, messages, run_steps, assistants, query_runs, query_threads',
  );
});

async function instance(owner: string, atMs: number, leaseMs = 15_000) {
  const store = await openPostgresStore(database.connect({ maxConnections: 3 }), { ownsClient: false });
  opened.push(store);
  const clock = await EmulatorClock.load(store.settings, () => atMs);
  const errors: string[] = [];
  const lifecycle = new RunLifecycle(
    store,
    clock,
    { timeScale: 1 },
    createLogger('error', (line) => errors.push(line), false),
    () => {},
    null,
    { owner, leaseMs },
  );
  const published: LifecycleEvent[] = [];
  store.events.subscribe(({ event }) => published.push(event));
  return { store, lifecycle, errors, published };
}

/** `count` threads with a queued run each, their start due one second after TEST_START_MS. */
async function queuedRuns(count: number) {
  const { store, lifecycle } = await instance('creator', TEST_START_MS);
  const createdAt = Math.floor(TEST_START_MS / 1000);
  const assistant = await insertAssistant(store, createdAt);
  const runs = [];
  for (let index = 0; index < count; index++) {
    const thread = await createThread(store, { messages: [{ role: 'user', content: 'Hi' }] }, createdAt);
    runs.push(await lifecycle.createRun(thread.id, { assistant_id: assistant.id }, TEST_START_MS));
  }
  return runs;
}

describePostgres('instances on one database applying what is due', () => {
  it('apply each due transition once between them: one start, one answer, one event per write', async () => {
    const runs = await queuedRuns(24);
    const at = TEST_START_MS + 60_000; // every start and finish due
    const instances = await Promise.all(['a', 'b', 'c'].map((owner) => instance(owner, at)));
    await Promise.all(
      instances.map(async ({ lifecycle }) => {
        while ((await lifecycle.processDue(at, 3)) > 0);
      }),
    );
    for (const { errors } of instances) expect(errors).toEqual([]);
    const { store } = instances[0]!;
    for (const run of runs) {
      expect((await store.runs.get(run.id))!.run.status).toBe('completed');
      const roles = (await store.messages.inThread(run.thread_id)).map((message) => message.role);
      expect(roles).toEqual(['user', 'assistant']);
      expect(await store.steps.ofRun(run.id)).toHaveLength(1);
    }
    const runEvents = instances.flatMap(({ published }) =>
      published.flatMap((event) => (event.object === 'run' ? [`${event.run.id} ${event.run.status}`] : [])),
    );
    expect(runEvents.sort()).toEqual(
      runs.flatMap(({ id }) => [`${id} completed`, `${id} in_progress`]).sort(),
    );
    const { rows } = await database.client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM runs WHERE lease_owner IS NOT NULL',
    );
    expect(rows[0]!.n).toBe(0); // every write ended its lease
  });

  it('applies the runs a dead instance claimed once its lease has run out, not before', async () => {
    const runs = await queuedRuns(5);
    const at = TEST_START_MS + 60_000;
    const dead = await instance('dead', at);
    const claimed = await dead.store.runs.claimDue({ owner: 'dead', upTo: at, limit: 100, leaseMs: 500 });
    expect(claimed.map((run) => run.id).sort()).toEqual(runs.map((run) => run.id).sort());
    const alive = await instance('alive', at);
    expect(await alive.lifecycle.processDue(at)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 700));
    while ((await alive.lifecycle.processDue(at)) > 0);
    for (const run of runs) expect((await alive.store.runs.get(run.id))!.run.status).toBe('completed');
  });
});
