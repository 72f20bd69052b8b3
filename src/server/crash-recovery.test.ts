import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kill, waitFor as waitForCheck } from './test-support/child-process';
import type { Run } from '../shared/openai-types';
import type { RunsPage } from '../shared/runs-query-types';

/**
 * The real server in its own process on a database file, killed with SIGKILL while runs are in flight and
 * requests are being written, then started again on the same file.
 */
const PORT = 3351;
const BASE = `http://127.0.0.1:${PORT}`;
const WAIT_LIMIT_MS = 30_000;

let directory: string;
let server: ChildProcess | null = null;
let serverLog = '';

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'runboard-crash-'));
});
afterAll(async () => {
  if (server && server.exitCode === null && server.signalCode === null) await kill(server, 'SIGTERM');
  rmSync(directory, { recursive: true, force: true });
});

async function startServer(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', '--api-only'], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(PORT),
      RUNBOARD_DB: join(directory, 'runboard.sqlite'),
      RUNBOARD_SEED: 'none',
      RUNBOARD_TIME_SCALE: '1',
      LOG_LEVEL: 'warn',
      RUNBOARD_TOKEN: '',
      OPENAI_BASE_URL: '',
      RUNBOARD_FAULTS: '',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (serverLog += chunk));
  await waitFor('the server to answer', async () => {
    if (child.exitCode !== null) throw new Error(`The server exited (${child.exitCode}): ${serverLog}`);
    return (await fetch(`${BASE}/api/config`).catch(() => null))?.ok === true;
  });
  server = child;
  return child;
}

function waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
  return waitForCheck(what, check, () => serverLog, WAIT_LIMIT_MS);
}

const client = new OpenAI({ apiKey: 'anything', baseURL: `${BASE}/v1`, maxRetries: 0 });

async function advanceClock(seconds: number) {
  const response = await fetch(`${BASE}/api/emulator/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advance_seconds: seconds }),
  });
  expect(response.status).toBe(200);
}

const retrieve = (run: Pick<Run, 'id' | 'thread_id'>) =>
  client.beta.threads.runs.retrieve(run.id, { thread_id: run.thread_id });

async function statusBecomes(run: Pick<Run, 'id' | 'thread_id'>, status: Run['status']) {
  await waitFor(`run ${run.id} to be ${status}`, async () => (await retrieve(run)).status === status);
}

const WEATHER_TOOL = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

describe('kill -9 in the middle of runs', () => {
  it('loses no acknowledged write, and every run resumes its lifecycle after a restart', async () => {
    const first = await startServer();
    const withTools = await client.beta.assistants.create({ model: 'gpt-4o', tools: [WEATHER_TOOL] });
    const plain = await client.beta.assistants.create({ model: 'gpt-4o' });

    const waitingThread = await client.beta.threads.create({
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
    });
    const waiting = await client.beta.threads.runs.create(waitingThread.id, { assistant_id: withTools.id });
    const slowThread = await client.beta.threads.create();
    const slow = await client.beta.threads.runs.create(slowThread.id, {
      assistant_id: plain.id,
      metadata: { runboard_scenario: 'slow' },
    });
    await advanceClock(2);
    await statusBecomes(waiting, 'requires_action');
    await statusBecomes(slow, 'in_progress');
    const waitingBefore = await retrieve(waiting);

    // Runs still queued when the server dies (created after the clock moved, due a second later).
    const queued = await Promise.all(
      [1, 2, 3].map(async () => {
        const thread = await client.beta.threads.create();
        return client.beta.threads.runs.create(thread.id, { assistant_id: plain.id });
      }),
    );

    // Writes in flight at the moment of the kill: every one the server acknowledged must survive.
    const acknowledged: Pick<Run, 'id' | 'thread_id' | 'created_at'>[] = [];
    let stopWriting = false;
    const writers = [1, 2, 3, 4].map(async () => {
      while (!stopWriting) {
        try {
          acknowledged.push(
            await client.beta.threads.createAndRun({
              assistant_id: plain.id,
              thread: { messages: [{ role: 'user', content: 'Still there?' }] },
            }),
          );
        } catch {
          return; // The server is gone.
        }
      }
    });
    await waitFor('writes to be acknowledged', async () => acknowledged.length >= 20);
    await kill(first, 'SIGKILL');
    stopWriting = true;
    await Promise.all(writers);
    expect(first.signalCode).toBe('SIGKILL');

    await startServer();

    // The query index lives in the same database and was written in the same transactions: right after the
    // restart (nothing rebuilt) it holds every acknowledged run.
    for (const run of [waiting, slow, ...queued, ...acknowledged]) {
      const page = (await (await fetch(`${BASE}/api/runs?q=${run.id}`)).json()) as RunsPage;
      expect(page.data.map((found) => found.id)).toEqual([run.id]);
    }
    const waitingPage = (await (await fetch(`${BASE}/api/runs?status=requires_action`)).json()) as RunsPage;
    expect(waitingPage.data.map((found) => found.id)).toEqual([waiting.id]);

    // The run waiting for outputs is exactly as it was, still accepts them, and completes.
    const waitingAfter = await retrieve(waiting);
    expect(waitingAfter).toEqual(waitingBefore);
    await client.beta.threads.runs.submitToolOutputs(waiting.id, {
      thread_id: waitingThread.id,
      tool_outputs: waitingAfter.required_action!.submit_tool_outputs.tool_calls.map((call) => ({
        tool_call_id: call.id,
        output: '{"temperature_c":4}',
      })),
    });
    await advanceClock(3);
    await statusBecomes(waiting, 'completed');
    const reply = await client.beta.threads.messages.list(waitingThread.id, { run_id: waiting.id });
    expect(reply.data[0]?.role).toBe('assistant');

    // The slow run is still in progress until its time is up, then finishes normally.
    expect((await retrieve(slow)).status).toBe('in_progress');
    await advanceClock(61);
    await statusBecomes(slow, 'completed');

    // The queued runs and every acknowledged write are there and complete.
    for (const run of [...queued, ...acknowledged]) {
      const found = await retrieve(run);
      expect(found.id).toBe(run.id);
      expect(found.created_at).toBe(run.created_at);
      await statusBecomes(run, 'completed');
    }
    // Each acknowledged create-thread-and-run was one transaction: its thread and message are there too.
    for (const run of acknowledged) {
      const messages = await client.beta.threads.messages.list(run.thread_id, { order: 'asc' });
      expect(messages.data[0]?.content[0]).toMatchObject({ type: 'text', text: { value: 'Still there?' } });
    }
  }, 90_000);
});
