import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitFor as waitForCheck } from './test-support/child-process';
import { freePort, startServerChild, type ServerChild } from './test-support/server-process';
import type { RunExecution } from '../shared/runboard-types';
import {
  startScriptedChatServer,
  type ScriptedChatServer,
} from '../assistants-server/llm-executor/test-support/scripted-chat-server';

/**
 * The real server in its own process, its runs executed by the scripted model, killed with SIGKILL while a model
 * answer is being written into a message, then started again on the same database file.
 */
const WAIT_LIMIT_MS = 30_000;

let directory: string;
let model: ScriptedChatServer;
let server: ServerChild | null = null;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'runboard-model-crash-'));
  model = await startScriptedChatServer();
});
afterAll(async () => {
  await server?.stop('SIGTERM');
  await model.close();
  rmSync(directory, { recursive: true, force: true });
});

async function startServer(port: number): Promise<ServerChild> {
  server = await startServerChild(
    {
      RUNBOARD_DB: join(directory, 'runboard.sqlite'),
      RUNBOARD_MODEL_BASE_URL: model.url,
      RUNBOARD_MODEL_API_KEY: 'sk-crash-test-key-0123456789',
    },
    { port, limitMs: WAIT_LIMIT_MS },
  );
  return server;
}

function waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
  return waitForCheck(what, check, () => server?.log() ?? '', WAIT_LIMIT_MS);
}

it('kill -9 during a model call: after the restart the run is answered once, in one message', async () => {
  const port = await freePort();
  const client = new OpenAI({ apiKey: 'anything', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
  const first = await startServer(port);
  const assistant = await client.beta.assistants.create({ model: 'gpt-4o' });
  const thread = await client.beta.threads.create({ messages: [{ role: 'user', content: 'Tell me' }] });
  model.script({ text: 'This answer is cut off by the kill, word by word', chunkDelayMs: 150 });
  const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
  await waitFor('the first words in the message', async () => {
    const [message] = (await client.beta.threads.messages.list(thread.id, { run_id: run.id })).data;
    return message?.content[0]?.type === 'text' && message.content[0].text.value.length > 0;
  });
  await first.stop('SIGKILL');

  model.script({ text: 'The whole answer.' });
  await startServer(port);
  const done = await client.beta.threads.runs.poll(run.id, { thread_id: thread.id }, { pollIntervalMs: 50 });
  expect(done.status).toBe('completed');
  expect(model.requests).toHaveLength(2);
  const messages = await client.beta.threads.messages.list(thread.id, { run_id: run.id });
  expect(messages.data).toHaveLength(1);
  expect(messages.data[0]).toMatchObject({
    status: 'completed',
    content: [{ type: 'text', text: { value: 'The whole answer.' } }],
  });
  const steps = await client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id });
  expect(steps.data.map((step) => [step.type, step.status])).toEqual([['message_creation', 'completed']]);
  const execution = (await (
    await fetch(`http://127.0.0.1:${port}/api/emulator/runs/${run.id}/execution`)
  ).json()) as RunExecution;
  expect(execution.model_calls.map((call) => call.outcome)).toEqual(['interrupted', 'answered']);
}, 90_000);
