import { randomBytes } from 'node:crypto';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunExecution } from '../shared/runboard-types';
import type { ChatCompletionRequest } from '../assistants-server/llm-executor/chat-types';
import {
  startScriptedChatServer,
  type ScriptedChatServer,
  type ScriptedReply,
} from '../assistants-server/llm-executor/test-support/scripted-chat-server';
import { connectToServer } from '../assistants-server/store/postgres/server-client';
import { waitFor } from './test-support/child-process';
import { startServerChild, type ServerChild } from './test-support/server-process';

/**
 * Real server processes on one PostgreSQL database (RUNBOARD_TEST_DATABASE_URL's server; CI starts one in .ci/run):
 * clients on each, scripted and model-executed runs, then `kill -9` of an instance with model calls in flight, and
 * a SIGTERM. Each instance has its own stand-in model, so a test knows whose calls are in flight.
 */
const adminUrl = process.env.RUNBOARD_TEST_DATABASE_URL?.trim();
if (!adminUrl)
  console.warn(
    '\n⚠ Multi-instance tests skipped: RUNBOARD_TEST_DATABASE_URL is not set (a PostgreSQL server; CI starts one).\n',
  );

const LEASE_MS = 8_000;
/** A lease no run of the SIGTERM test can outwait: its runs end only if the leaving instance hands them over. */
const LONG_LEASE_MS = 300_000;
const POLL_MS = 200;
const CHUNK_DELAY_MS = 250;
const TOOL_OUTPUT = 'order A-1 shipped';

/** Answers slowly (six pieces 250 ms apart); asks for the tool when told to, and says what the tool returned. */
function reply(request: ChatCompletionRequest): ScriptedReply {
  const last = request.messages.at(-1);
  if (last?.role === 'tool')
    return { text: `The tool said: ${last.content}`, chunks: 6, chunkDelayMs: CHUNK_DELAY_MS };
  if (JSON.stringify(request.messages).includes('use the tool'))
    return { toolCalls: [{ name: 'lookup_order', arguments: { order_id: 'A-1' } }] };
  return { text: 'One answer, streamed slowly in six pieces.', chunks: 6, chunkDelayMs: CHUNK_DELAY_MS };
}

interface Instance {
  server: ServerChild;
  model: ScriptedChatServer;
  client: OpenAI;
}

let databaseUrl = '';
let databaseName = '';
const started: Instance[] = [];

/** Whether the servers started keep their data in the database (they migrate it at start) rather than in SQLite. */
async function serversUsePostgres(): Promise<boolean> {
  const client = connectToServer(databaseUrl, { maxConnections: 1 });
  try {
    const { rows } = await client.query<{ migrated: boolean }>(
      "SELECT to_regclass('public.schema_migrations') IS NOT NULL AS migrated",
    );
    return rows[0]!.migrated;
  } finally {
    await client.close();
  }
}

/** Two instances; the test is skipped, saying why, when the server does not read RUNBOARD_DATABASE_URL. */
async function twoInstances(skip: (note: string) => void, leaseMs = LEASE_MS): Promise<[Instance, Instance]> {
  const first = await startInstance(leaseMs);
  if (!(await serversUsePostgres()))
    skip('the server does not keep its data in RUNBOARD_DATABASE_URL (SQLite only)');
  return [first, await startInstance(leaseMs)];
}

async function startInstance(leaseMs: number): Promise<Instance> {
  const model = await startScriptedChatServer({ fallback: reply });
  const server = await startServerChild({
    RUNBOARD_DATABASE_URL: databaseUrl,
    RUNBOARD_DB: ':memory:',
    RUNBOARD_TIME_SCALE: '100',
    RUNBOARD_LEASE_MS: String(leaseMs),
    RUNBOARD_INSTANCE_POLL_MS: String(POLL_MS),
    RUNBOARD_MODEL_BASE_URL: model.url,
    RUNBOARD_MODEL_MAX_RETRIES: '0',
  });
  const instance = {
    server,
    model,
    client: new OpenAI({ apiKey: 'anything', baseURL: `${server.url}/v1`, maxRetries: 0 }),
  };
  started.push(instance);
  return instance;
}

beforeAll(async () => {
  if (!adminUrl) return;
  databaseName = `runboard_instances_${randomBytes(6).toString('hex')}`;
  const admin = connectToServer(adminUrl, { maxConnections: 1 });
  try {
    await admin.query(`CREATE DATABASE ${databaseName}`);
  } finally {
    await admin.close();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  databaseUrl = url.toString();
}, 30_000);

afterAll(async () => {
  for (const { server, model } of started) {
    await server.stop('SIGTERM');
    await model.close();
  }
  if (!adminUrl || !databaseName) return;
  const admin = connectToServer(adminUrl, { maxConnections: 1 });
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  } finally {
    await admin.close();
  }
}, 60_000);

type Created = { id: string; thread_id: string };

async function assistantOf(client: OpenAI): Promise<string> {
  const assistant = await client.beta.assistants.create({
    model: 'gpt-4o',
    tools: [
      {
        type: 'function',
        function: {
          name: 'lookup_order',
          parameters: { type: 'object', properties: { order_id: { type: 'string' } } },
        },
      },
    ],
  });
  return assistant.id;
}

function createRun(
  client: OpenAI,
  assistantId: string,
  content: string,
  scenario?: string,
): Promise<Created> {
  return client.beta.threads.createAndRun({
    assistant_id: assistantId,
    thread: { messages: [{ role: 'user', content }] },
    ...(scenario ? { metadata: { runboard_scenario: scenario } } : {}),
  });
}

/** Waits until every run has ended, reading through `client`; returns their final statuses. */
async function ended(
  client: OpenAI,
  runs: Created[],
  log: () => string,
  limitMs = 90_000,
): Promise<string[]> {
  let statuses: string[] = [];
  await waitFor(
    'every run to end',
    async () => {
      statuses = await Promise.all(
        runs.map(
          async (run) =>
            (await client.beta.threads.runs.retrieve(run.id, { thread_id: run.thread_id })).status,
        ),
      );
      return statuses.every((status) => !['queued', 'in_progress', 'cancelling'].includes(status));
    },
    log,
    limitMs,
  );
  return statuses;
}

/** The assistant messages of each run's thread, as [status, text]. */
async function answers(client: OpenAI, runs: Created[]): Promise<Array<Array<[string, string]>>> {
  return Promise.all(
    runs.map(async (run) => {
      const page = await client.beta.threads.messages.list(run.thread_id, { order: 'asc' });
      return page.data
        .filter((message) => message.role === 'assistant')
        .map((message): [string, string] => [
          message.status,
          message.content[0]?.type === 'text' ? message.content[0].text.value : '',
        ]);
    }),
  );
}

/**
 * Both instances compete for every run, wherever it was created: waits until one has model calls in flight, and
 * returns it first, the other second.
 */
async function byCallsInFlight([a, b]: [Instance, Instance]): Promise<[Instance, Instance]> {
  await waitFor(
    'model calls in flight on either instance',
    async () => a.model.inFlight() + b.model.inFlight() >= 1,
    () => a.server.log() + b.server.log(),
  );
  return a.model.inFlight() >= 1 ? [a, b] : [b, a];
}

async function execution(instance: Instance, runId: string): Promise<RunExecution> {
  return (await (
    await fetch(`${instance.server.url}/api/emulator/runs/${runId}/execution`)
  ).json()) as RunExecution;
}

describe.skipIf(!adminUrl)('instances on one PostgreSQL database (server processes)', () => {
  it('runs created on either instance are executed once each, scripted and by a model', async (context) => {
    const [a, b] = await twoInstances((note) => context.skip(note));
    const assistantId = await assistantOf(a.client);
    const modelRuns = await Promise.all(
      [a, b, a, b, a, b].map((instance) => createRun(instance.client, assistantId, 'Hello?')),
    );
    // Scripted runs of an assistant without tools (a scripted run calls the tools it has).
    const plain = await b.client.beta.assistants.create({ model: 'gpt-4o' });
    const scriptedRuns = await Promise.all(
      [a, b, a, b].map((instance) => createRun(instance.client, plain.id, 'Hello?', 'slow')),
    );
    const all = [...modelRuns, ...scriptedRuns];
    expect(await ended(b.client, all, () => a.server.log() + b.server.log())).toEqual(
      all.map(() => 'completed'),
    );
    // One answer per run; one model call per model run, made by one of the two instances.
    for (const answered of await answers(a.client, all)) expect(answered).toHaveLength(1);
    expect(a.model.requests.length + b.model.requests.length).toBe(modelRuns.length);
    for (const run of modelRuns)
      expect((await execution(a, run.id)).model_calls.map((call) => call.outcome)).toEqual(['answered']);
  }, 120_000);

  it('kill -9 of an instance with model calls in flight: the other finishes every run after the lease, one answer each, tool outputs kept', async (context) => {
    const [a, b] = await twoInstances((note) => context.skip(note));
    const assistantId = await assistantOf(a.client);
    // A run waiting for tool outputs, whose outputs are submitted just before the kill (to `a`, which may be the victim).
    const toolRun = await createRun(a.client, assistantId, 'Please use the tool.');
    await waitFor(
      'the run to ask for its tool',
      async () =>
        (await a.client.beta.threads.runs.retrieve(toolRun.id, { thread_id: toolRun.thread_id })).status ===
        'requires_action',
      a.server.log,
    );
    const run = await a.client.beta.threads.runs.retrieve(toolRun.id, { thread_id: toolRun.thread_id });
    const callId = run.required_action!.submit_tool_outputs.tool_calls[0]!.id;
    const runs = await Promise.all(
      Array.from({ length: 6 }, () => createRun(a.client, assistantId, 'Hello?')),
    );
    await a.client.beta.threads.runs.submitToolOutputs(toolRun.id, {
      thread_id: toolRun.thread_id,
      tool_outputs: [{ tool_call_id: callId, output: TOOL_OUTPUT }],
    });
    runs.push(toolRun);
    // The victim is whichever instance is calling the model (the runs were created on `a`, but both take runs).
    const [victim, survivor] = await byCallsInFlight([a, b]);

    await victim.server.stop('SIGKILL');
    const killedAt = Date.now();
    expect(await ended(survivor.client, runs, survivor.server.log)).toEqual(runs.map(() => 'completed'));
    const failoverMs = Date.now() - killedAt;

    const answered = await answers(survivor.client, runs);
    for (const [index, messages] of answered.entries()) {
      const expected =
        runs[index] === toolRun
          ? `The tool said: ${TOOL_OUTPUT}`
          : 'One answer, streamed slowly in six pieces.';
      expect(messages).toEqual([['completed', expected]]);
    }
    // The calls the kill cut off were made again by the survivor, once the victim's leases had expired.
    const outcomes = await Promise.all(runs.map(async (r) => (await execution(survivor, r.id)).model_calls));
    const interrupted = outcomes.filter((calls) => calls.some((call) => call.outcome === 'interrupted'));
    expect(interrupted.length).toBeGreaterThan(0);
    for (const calls of outcomes) expect(calls.at(-1)?.outcome).toBe('answered');
    expect(failoverMs).toBeGreaterThan(LEASE_MS - 2_000);
  }, 150_000);

  it('SIGTERM hands the runs over at once: another instance finishes them well before the lease would expire', async (context) => {
    const [a, b] = await twoInstances((note) => context.skip(note), LONG_LEASE_MS);
    const assistantId = await assistantOf(a.client);
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => createRun(a.client, assistantId, 'Hello?')),
    );
    // The leaving instance is whichever is calling the model (both take runs, wherever they were created).
    const [leaving, survivor] = await byCallsInFlight([a, b]);

    await leaving.server.stop('SIGTERM');
    // The leases last 5 minutes, longer than this test may run: the runs end only because they were released.
    expect(await ended(survivor.client, runs, survivor.server.log)).toEqual(runs.map(() => 'completed'));
    for (const messages of await answers(survivor.client, runs))
      expect(messages).toEqual([['completed', 'One answer, streamed slowly in six pieces.']]);
  }, 120_000);
});
