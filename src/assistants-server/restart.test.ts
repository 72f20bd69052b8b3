import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, WEATHER_TOOL, type Harness } from './test-support/emulator-harness';

let directory: string;
let dbPath: string;
const open: Harness[] = [];

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'runboard-emulator-'));
  dbPath = join(directory, 'emulator.sqlite');
});
afterEach(async () => {
  for (const harness of open.splice(0)) await harness.close();
  rmSync(directory, { recursive: true, force: true });
});

async function start(): Promise<Harness> {
  const harness = await createHarness({ dbPath });
  open.push(harness);
  return harness;
}

/** A run waiting for outputs before the server stops; the harness is closed and a new one opens the same file. */
async function waitingRunThenRestart() {
  const before = await start();
  const assistant = await before.client.beta.assistants.create({ model: 'gpt-4o', tools: [WEATHER_TOOL] });
  const thread = await before.client.beta.threads.create({
    messages: [{ role: 'user', content: 'Weather?' }],
  });
  const run = await before.client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
  await before.advance(2);
  const waiting = await before.client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id });
  expect(waiting.status).toBe('requires_action');
  await before.close();
  return { after: await start(), threadId: thread.id, runId: run.id, waiting };
}

describe('restart on the same database file', () => {
  it('a run waiting for outputs is still waiting after a restart, then completes when outputs arrive', async () => {
    const { after, threadId, runId, waiting } = await waitingRunThenRestart();
    const resumed = await after.client.beta.threads.runs.retrieve(runId, { thread_id: threadId });
    expect(resumed).toEqual(waiting);
    const outputs = resumed.required_action!.submit_tool_outputs.tool_calls.map((call) => ({
      tool_call_id: call.id,
      output: '{"temperature_c":21}',
    }));
    await after.client.beta.threads.runs.submitToolOutputs(runId, {
      thread_id: threadId,
      tool_outputs: outputs,
    });
    await after.advance(2);
    const done = await after.client.beta.threads.runs.retrieve(runId, { thread_id: threadId });
    expect(done.status).toBe('completed');
  });

  it('a run waiting for outputs still expires after a restart', async () => {
    const { after, threadId, runId, waiting } = await waitingRunThenRestart();
    await after.advance(600);
    const expired = await after.client.beta.threads.runs.retrieve(runId, { thread_id: threadId });
    expect(expired.status).toBe('expired');
    expect(expired.expires_at).toBe(waiting.expires_at);
  });

  it('a queued run resumes its lifecycle after a restart, and the advanced clock is kept', async () => {
    const before = await start();
    const assistant = await before.client.beta.assistants.create({ model: 'gpt-4o' });
    const thread = await before.client.beta.threads.create();
    await before.advance(3600);
    const run = await before.client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await before.close();

    const after = await start();
    const clock = (await (await after.admin('/clock')).json()) as { offset_seconds: number };
    expect(clock.offset_seconds).toBe(3600);
    expect((await after.client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id })).status).toBe(
      'queued',
    );
    await after.advance(2);
    expect((await after.client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id })).status).toBe(
      'completed',
    );
  });
});
