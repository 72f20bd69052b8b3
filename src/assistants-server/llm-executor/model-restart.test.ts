import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { startModelHarness, TEST_MODEL_KEY, type ModelHarness } from './test-support/model-harness';
import { startScriptedChatServer } from './test-support/scripted-chat-server';

const directory = mkdtempSync(join(tmpdir(), 'runboard-model-'));
const open: ModelHarness[] = [];
afterEach(async () => {
  for (const harness of open.splice(0)) await harness.stop();
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

it('a run whose model call was in flight when the server stopped is executed again after the restart', async () => {
  const dbPath = join(directory, 'emulator.sqlite');
  const model = await startScriptedChatServer();
  const before = await startModelHarness({ dbPath, model });
  const assistant = await before.client.beta.assistants.create({ model: 'gpt-4o' });
  const thread = await before.client.beta.threads.create({ messages: [{ role: 'user', content: 'Hello?' }] });
  model.script({ text: 'This answer is cut off by the stop', chunkDelayMs: 200 });
  const run = await before.client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
  await expect
    .poll(
      async () => (await before.client.beta.threads.messages.list(thread.id, { run_id: run.id })).data.length,
      {
        interval: 10,
      },
    )
    .toBe(1);
  await before.close();
  await expect.poll(() => model.inFlight(), { interval: 10 }).toBe(0);

  model.script({ text: 'The whole answer.' });
  const after = await startModelHarness({ dbPath, model });
  open.push(after);
  const done = await after.client.beta.threads.runs.poll(
    run.id,
    { thread_id: thread.id },
    { pollIntervalMs: 20 },
  );
  expect(done.status).toBe('completed');
  expect(model.requests).toHaveLength(2);
  expect(model.requests[1]!.body.messages).toEqual(model.requests[0]!.body.messages);
  const messages = await after.client.beta.threads.messages.list(thread.id, { run_id: run.id });
  expect(messages.data).toHaveLength(1);
  expect(messages.data[0]).toMatchObject({
    status: 'completed',
    content: [{ type: 'text', text: { value: 'The whole answer.' } }],
  });
  expect((await after.execution(run.id)).model_calls.map((call) => call.outcome)).toEqual([
    'interrupted',
    'answered',
  ]);
});

it('a model call error stored with the key in it (before errors were masked) is masked at the next start', async () => {
  const dbPath = join(directory, 'leaked.sqlite');
  const before = await startModelHarness({ dbPath });
  const assistant = await before.client.beta.assistants.create({ model: 'gpt-4o' });
  const thread = await before.client.beta.threads.create({ messages: [{ role: 'user', content: 'Hi' }] });
  before.model.script({ status: 400, message: 'Bad request' });
  const run = await before.client.beta.threads.runs.createAndPoll(
    thread.id,
    { assistant_id: assistant.id },
    { pollIntervalMs: 20 },
  );
  await before.stop();
  const db = new Database(dbPath);
  db.prepare(`UPDATE model_calls SET body = json_set(body, '$.error', ?)`).run(`Bad key ${TEST_MODEL_KEY}`);
  db.close();

  const after = await startModelHarness({ dbPath });
  open.push(after);
  expect((await after.execution(run.id)).model_calls.map((call) => call.error)).toEqual(['Bad key ***']);
});
