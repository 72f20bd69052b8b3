import { afterEach, expect, it } from 'vitest';
import type { Run } from '../../shared/openai-types';
import { LifecycleEvents } from '../events/lifecycle-events';
import { appendLifecycleEvent } from '../store/postgres/change-log/append-change';
import { InstanceChangeLog } from '../store/postgres/change-log/instance-change-log';
import { describePostgres, withPostgres } from '../store/postgres/test-support/with-postgres';
import { createHarness, type Harness } from '../test-support/emulator-harness';
import { newRunScope } from '../test-support/run-stream-scope';
import { eventOutline, readSse } from '../test-support/sse-reader';
import type { RunStreamScope } from './run-event-translator';
import { RunStreams } from './run-streams';

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * `stream: true` on one instance (B) for a run another instance (A) executes, the payloads compared: B here is a
 * stand-in (a reader of the change log publishing every row into a `LifecycleEvents`, and `RunStreams` on it). A is
 * the embedded emulator; each event it commits goes into the log with A's id, in commit order. Two whole servers,
 * B's `store.events` fed by the PostgreSQL store's `deliverLogged`: `src/server/stream-across-instances.test.ts`.
 */
describePostgres('a run streamed on one instance while another executes it', () => {
  const database = withPostgres();
  let harness: Harness | undefined;
  let log: InstanceChangeLog | undefined;
  afterEach(async () => {
    await log?.close();
    await harness?.close();
  });

  it('streams every event once, in order, with the same payloads as the executing instance’s own stream', async () => {
    harness = await createHarness();
    const a = database.client;
    let appended = 0;
    let logged = Promise.resolve();
    harness.emulator.events.subscribe(({ event }) => {
      logged = logged.then(async () => {
        await a.transaction((tx) => appendLifecycleEvent(tx, JSON.stringify(event), 'instance-a'));
        appended += 1;
      });
    });

    const onB = new LifecycleEvents();
    let deliveredOnB = 0;
    onB.subscribe(() => (deliveredOnB += 1));
    log = new InstanceChangeLog(database.connect({ applicationName: 'runboard-b' }), {
      events: onB,
      pruneEveryMs: 0,
    });
    await log.start();
    const streamsOnB = new RunStreams(onB);

    const assistant = await harness.client.beta.assistants.create({ model: 'gpt-4o', name: 'Streamer' });
    const thread = await harness.client.beta.threads.create({
      messages: [{ role: 'user', content: 'What is the weather in Lisbon today?' }],
    });
    await logged;
    await until(() => deliveredOnB === appended, 'B to catch up with the setup');

    // B listens first; which run it streams is known once A has created it.
    let scopeIs!: (scope: RunStreamScope) => void;
    const streamOnB = streamsOnB.start(() => new Promise<RunStreamScope>((resolve) => (scopeIs = resolve)));
    const response = await harness.app.request(`/v1/threads/${thread.id}/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ assistant_id: assistant.id, stream: true }),
    });
    const onA = readSse(response);
    await until(() => onA.frames.length > 0, 'the run on A');
    const run = onA.frames[0]!.data as Run;
    scopeIs(newRunScope(run.id, thread.id));
    await harness.advance(1);
    await harness.advance(1);
    const framesOnA = await onA.ended;
    const framesOnB = await readSse(await streamOnB).ended;

    expect(eventOutline(framesOnB)).toEqual(eventOutline(framesOnA));
    expect(eventOutline(framesOnB)).toContain('thread.message.delta…');
    expect(eventOutline(framesOnB).at(-2)).toBe('thread.run.completed');
    // The same events with the same payloads (jsonb keeps no key order: compared as values).
    expect(framesOnB.map((frame) => [frame.event, frame.data])).toEqual(
      framesOnA.map((frame) => [frame.event, frame.data]),
    );
    expect(streamsOnB.size).toBe(0);
  });
});
