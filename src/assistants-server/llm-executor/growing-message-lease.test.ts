import { afterEach, expect, it } from 'vitest';
import type { Message } from '../../shared/openai-types';
import type { AssistantsStore } from '../store/assistants-store';
import { openPostgresStore } from '../store/postgres/postgres-assistants-store';
import { describePostgres, withPostgres } from '../store/postgres/test-support/with-postgres';
import { modelInstance, startedModelRun } from './test-support/model-instance';
import { startScriptedChatServer } from './test-support/scripted-chat-server';

/**
 * Several instances on one PostgreSQL database: an instance that stalls past its lease while an answer streams in
 * (its renewal late) finds the run taken over by another. Its growing message must not write one more piece of
 * text: the new owner writes the answer again from the start, and a late append would land in it.
 */
const database = withPostgres();
const open: Array<{ close(): Promise<void> | void }> = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

const assistantText = (messages: Message[]) =>
  messages
    .filter((message) => message.role === 'assistant')
    .map((message) => message.content.map((part) => (part.type === 'text' ? part.text.value : '')).join(''))
    .join('');

describePostgres('a growing message after its lease is lost', () => {
  it('writes nothing once another instance holds the run, and its call stops', async () => {
    const store: AssistantsStore = await openPostgresStore(database.connect({ maxConnections: 3 }), {
      ownsClient: false,
    });
    const model = await startScriptedChatServer();
    open.push(store, model);
    model.script({
      text: Array.from({ length: 40 }, (_, index) => `word${index}`).join(' '),
      chunkDelayMs: 50,
    });
    // A minute's lease: renewed every 20 s, so no renewal notices the take-over during the test; only the writes can.
    const a = await modelInstance(store, model, { owner: 'a', leaseMs: 60_000 });
    open.push({ close: () => a.executor.close() });
    const run = await startedModelRun(store, a);
    await expect
      .poll(async () => assistantText(await store.messages.inThread(run.thread_id)), {
        interval: 10,
        timeout: 5_000,
      })
      .not.toBe('');

    // Instance b takes the run over, as after a's lease expired (a stalled, a clock jumped).
    await database.client.query(
      `UPDATE runs SET lease_owner = 'b', lease_expires_at = clock_timestamp() + interval '1 minute'
       WHERE id = $1`,
      [run.id],
    );
    // A write of a's in flight took the run's row first and committed before the UPDATE could: read after it.
    const atTakeOver = assistantText(await store.messages.inThread(run.thread_id));

    await expect.poll(() => model.inFlight(), { interval: 10, timeout: 10_000 }).toBe(0);
    expect(assistantText(await store.messages.inThread(run.thread_id))).toBe(atTakeOver);
    expect(a.logLines.some((line) => line.includes("lost its run's lease"))).toBe(true);
    // The run is b's to finish: a wrote no outcome either.
    expect((await store.runs.get(run.id))!.run.status).toBe('in_progress');
  });
});
