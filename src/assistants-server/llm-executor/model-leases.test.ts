import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../shared/openai-types';
import type { AssistantsStore } from '../store/assistants-store';
import { openSqliteStore } from '../store/sqlite-assistants-store';
import { modelInstance, startedModelRun, type ModelInstance } from './test-support/model-instance';
import { startScriptedChatServer, type ScriptedChatServer } from './test-support/scripted-chat-server';

/**
 * A model call runs under its run's lease (several instances on one database). Another instance is played here by
 * what the store answers (`holdLeases`), or by a second lifecycle and executor on the same store.
 */
const open: Array<{ close(): Promise<void> | void }> = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

async function setUp(): Promise<{ store: AssistantsStore; model: ScriptedChatServer }> {
  const store = openSqliteStore(':memory:');
  const model = await startScriptedChatServer();
  open.push(store, model);
  return { store, model };
}

async function instance(store: AssistantsStore, model: ScriptedChatServer, owner: string, leaseMs: number) {
  const made = await modelInstance(store, model, { owner, leaseMs });
  open.push({ close: () => made.executor.close() });
  return made;
}

function assistantMessages(messages: Message[]): Message[] {
  return messages.filter((message) => message.role === 'assistant');
}

function textOf(message: Message): string {
  const part = message.content[0];
  return part?.type === 'text' ? part.text.value : '';
}

describe('a model call under its lease', () => {
  it('stops when a renewal finds the lease lost (another instance took the run over), and writes no answer', async () => {
    const { store, model } = await setUp();
    model.script({ text: 'one two three four five six seven eight nine ten', chunkDelayMs: 100 });
    const a = await instance(store, model, 'a', 300); // renewed every 100 ms
    const run = await startedModelRun(store, a);
    await expect.poll(() => model.inFlight(), { interval: 10 }).toBe(1);

    store.runs.holdLeases = () => Promise.resolve([]);
    await expect.poll(() => model.inFlight(), { interval: 10, timeout: 2_000 }).toBe(0);
    expect(a.logLines.some((line) => line.includes("lost its run's lease"))).toBe(true);
    const stored = (await store.runs.get(run.id))!;
    expect(stored.run.status).toBe('in_progress');
    const answers = assistantMessages(await store.messages.inThread(run.thread_id));
    expect(answers.filter((message) => message.status === 'completed')).toEqual([]);
  });

  it('a run whose instance died mid-call is taken over by another: executed again from what is stored, one answer', async () => {
    const { store, model } = await setUp();
    model.script({ text: 'This answer is cut off when its instance dies', chunkDelayMs: 150 });
    const a: ModelInstance = await instance(store, model, 'a', 60_000);
    const run = await startedModelRun(store, a);
    // Part of the answer is written, then the instance dies: it writes nothing more, its call stays in flight.
    await expect
      .poll(
        async () =>
          assistantMessages(await store.messages.inThread(run.thread_id))
            .map(textOf)
            .join(''),
        {
          interval: 10,
          timeout: 5_000,
        },
      )
      .not.toBe('');
    await a.executor.close();
    await expect.poll(() => model.inFlight(), { interval: 10 }).toBe(0);

    model.script({ text: 'The whole answer.' });
    const b = await instance(store, model, 'b', 60_000);
    expect(await b.executor.claimUnattended()).toBe(1);
    await expect
      .poll(async () => (await store.runs.get(run.id))!.run.status, { interval: 20, timeout: 5_000 })
      .toBe('completed');
    const answers = assistantMessages(await store.messages.inThread(run.thread_id));
    expect(answers.map((message) => [message.status, textOf(message)])).toEqual([
      ['completed', 'The whole answer.'],
    ]);
    expect(model.requests[1]!.body.messages).toEqual(model.requests[0]!.body.messages);
    expect((await store.modelCalls.ofRun(run.id)).map((call) => call.outcome)).toEqual([
      'interrupted',
      'answered',
    ]);
    expect(b.logLines.some((line) => line.includes('taken over'))).toBe(true);
    // Nothing left for a third instance.
    expect(await (await instance(store, model, 'c', 60_000)).executor.claimUnattended()).toBe(0);
  });
});
