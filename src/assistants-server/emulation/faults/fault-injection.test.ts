import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config';
import { silentLogger } from '../../../platform/logger';
import { startServer, type RunningServer } from '../../../server/start-server';
import { createHarness, type Harness } from '../../test-support/emulator-harness';
import { assertErrorResponse } from '../../test-support/openapi-contract';
import type { FaultSleep } from './fault-injection';

let harness: Harness | null = null;
let server: RunningServer | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
  await server?.close();
  server = null;
});

async function open(overrides: Parameters<typeof createHarness>[0] = {}): Promise<Harness> {
  harness = await createHarness(overrides);
  return harness;
}

async function addFault(h: Harness, rule: unknown) {
  const response = await h.admin('/faults', rule);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function threadWithRun(h: Harness) {
  const assistant = await h.client.beta.assistants.create({ model: 'gpt-4o' });
  const thread = await h.client.beta.threads.create();
  const run = await h.client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
  return { threadId: thread.id, runId: run.id };
}

const get = async (h: Harness, path: string, init?: RequestInit): Promise<Response> =>
  h.app.request(`http://emulator.test${path}`, init);

describe('fault injection through /api/emulator/faults', () => {
  it('answers a matching request with the status, an OpenAI-shaped body and the retry headers', async () => {
    const h = await open();
    const { threadId } = await threadWithRun(h);
    const added = await addFault(h, {
      method: 'GET',
      path: '/v1/threads/*/runs',
      status: 429,
      retry_after: 2,
      retry_after_ms: 1500,
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      id: 'fault_1',
      method: 'GET',
      probability: 1,
      count: null,
      applied: 0,
    });

    const limited = await get(h, `/v1/threads/${threadId}/runs?limit=5`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(limited.headers.get('retry-after-ms')).toBe('1500');
    const body = await limited.json();
    assertErrorResponse(body);
    expect(body.error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' });

    // Other methods and routes are untouched.
    expect((await get(h, `/v1/threads/${threadId}`)).status).toBe(200);
    expect(
      (await h.client.beta.threads.runs.create(threadId, { assistant_id: 'asst_missing' }).catch((e) => e))
        .status,
    ).toBe(404);
  });

  it('uses the given error body and stops after count hits', async () => {
    const h = await open();
    const { threadId, runId } = await threadWithRun(h);
    await addFault(h, {
      path: `/v1/threads/${threadId}/runs/*`,
      status: 500,
      count: 2,
      error: { message: 'Upstream exploded', code: 'boom' },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(h, `/v1/threads/${threadId}/runs/${runId}`)).status);
    expect(statuses).toEqual([500, 500, 200, 200]);
    const listed = (await (await h.admin('/faults')).json()) as {
      rules: { applied: number; count: number }[];
    };
    expect(listed.rules[0]).toMatchObject({ applied: 2, count: 2 });

    await addFault(h, {
      path: '/v1/threads/*',
      status: 502,
      error: { message: 'Bad gateway', code: 'boom' },
    });
    const answer = await get(h, `/v1/threads/${threadId}`);
    const body = await answer.json();
    assertErrorResponse(body);
    expect(body).toEqual({
      error: { message: 'Bad gateway', type: 'server_error', param: null, code: 'boom' },
    });
  });

  it('hits the same requests on every run with the same seed, and only some of them', async () => {
    const pattern = async (seed: number) => {
      const h = await createHarness();
      try {
        const thread = await h.client.beta.threads.create();
        await addFault(h, { path: '/v1/threads/*', status: 503, probability: 0.3, seed });
        const statuses: number[] = [];
        for (let i = 0; i < 60; i++) statuses.push((await get(h, `/v1/threads/${thread.id}`)).status);
        return statuses;
      } finally {
        await h.close();
      }
    };
    const first = await pattern(42);
    expect(await pattern(42)).toEqual(first);
    const hits = first.filter((status) => status === 503).length;
    expect(hits).toBeGreaterThan(5);
    expect(hits).toBeLessThan(40);
    expect(await pattern(7)).not.toEqual(first);
  });

  it('adds latency, then lets the request through', async () => {
    const waits: number[] = [];
    const sleep: FaultSleep = async (ms) => {
      waits.push(ms);
    };
    const h = await open({ faultSleep: sleep });
    const { threadId } = await threadWithRun(h);
    await addFault(h, { method: 'GET', path: '/v1/threads/*/runs', latency_ms: 750 });
    const answer = await get(h, `/v1/threads/${threadId}/runs`);
    expect(answer.status).toBe(200);
    expect((await answer.json()).data).toHaveLength(1);
    expect(waits).toEqual([750]);
  });

  it('hangs a request until the client gives up while others are still served', async () => {
    const waits: number[] = [];
    const sleep: FaultSleep = (ms, signal) => {
      waits.push(ms);
      return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    };
    const h = await open({ faultSleep: sleep });
    const { threadId } = await threadWithRun(h);
    await addFault(h, { path: '/v1/threads/*/runs', hang: true, hang_ms: 30_000 });
    const controller = new AbortController();
    let settled = false;
    const hanging = get(h, `/v1/threads/${threadId}/runs`, { signal: controller.signal }).then((response) => {
      settled = true;
      return response;
    });
    expect((await get(h, `/v1/threads/${threadId}`)).status).toBe(200);
    expect(settled).toBe(false);
    expect(waits).toEqual([30_000]);
    controller.abort();
    expect((await hanging).type).toBe('error');
  });

  it('truncates the JSON of the real answer', async () => {
    const h = await open();
    const { threadId } = await threadWithRun(h);
    await addFault(h, { method: 'GET', path: `/v1/threads/${threadId}/runs`, malformed_json: true });
    const answer = await get(h, `/v1/threads/${threadId}/runs`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('application/json');
    const text = await answer.text();
    expect(text.startsWith('{"object":"list"')).toBe(true);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });

  it('lists, deletes one and clears the rules', async () => {
    const h = await open();
    const thread = await h.client.beta.threads.create();
    await addFault(h, { path: '/v1/threads/*', status: 500 });
    await addFault(h, { path: '/v1/assistants', status: 503 });
    expect((await (await h.admin('/faults')).json()).rules).toHaveLength(2);
    const deleteOne = await h.app.request('http://emulator.test/api/emulator/faults/fault_1', {
      method: 'DELETE',
    });
    expect(await deleteOne.json()).toEqual({ id: 'fault_1', deleted: true });
    expect((await get(h, `/v1/threads/${thread.id}`)).status).toBe(200);
    const missing = await h.app.request('http://emulator.test/api/emulator/faults/fault_1', {
      method: 'DELETE',
    });
    expect(missing.status).toBe(404);
    assertErrorResponse(await missing.json());
    await h.app.request('http://emulator.test/api/emulator/faults', { method: 'DELETE' });
    expect((await (await h.admin('/faults')).json()).rules).toEqual([]);
    expect((await get(h, '/v1/assistants')).status).toBe(200);
  });

  it.each([
    [{ status: 500 }, "Missing required parameter: 'path'."],
    [
      { path: 'v1/threads', status: 500 },
      "Invalid 'path': expected a pattern starting with '/', such as '/v1/threads/*/runs'.",
    ],
    [
      { path: '/v1/**' },
      'A fault rule needs an effect: status, latency_ms, hang, drop_connection or malformed_json.',
    ],
    [
      { path: '/v1/**', status: 500, hang: true },
      'A fault rule takes one of status, hang, drop_connection, malformed_json; got status, hang.',
    ],
    [
      { path: '/v1/**', status: 200 },
      "Invalid 'status': expected a value from 400 to 599, but got 200 instead.",
    ],
    [
      { path: '/v1/**', status: 500, probability: 1.5 },
      "Invalid 'probability': expected a value from 0 to 1, but got 1.5 instead.",
    ],
    [
      { path: '/v1/**', status: '500' },
      "Invalid type for 'status': expected an integer, but got a string instead.",
    ],
    [
      { path: '/v1/**', status: 500, colour: 'red' },
      expect.stringContaining('Unrecognized fault rule field: colour.'),
    ],
    [{ path: '/v1/**', method: 'FETCH', status: 500 }, expect.stringContaining("Invalid 'method'")],
    [{ path: '/v1/**', retry_after: 3 }, "'retry_after' and 'retry_after_ms' need a 'status'."],
  ])('refuses the rule %j with a 400 in the error shape', async (rule, message) => {
    const h = await open();
    const refused = await addFault(h, rule);
    expect(refused.status).toBe(400);
    assertErrorResponse(refused.body);
    expect((refused.body.error as { message: string }).message).toEqual(message);
  });
});

describe('faults from the environment on a real server', () => {
  it('RUNBOARD_FAULTS drops the connection of matching requests; the server keeps serving the rest', async () => {
    const config = loadConfig({
      PORT: '3350',
      RUNBOARD_DB: ':memory:',
      RUNBOARD_SEED: 'none',
      LOG_LEVEL: 'silent',
      RUNBOARD_FAULTS: JSON.stringify([
        { method: 'GET', path: '/v1/assistants', drop_connection: true, count: 1 },
      ]),
      RUNBOARD_FAULTS_SEED: '9',
    });
    server = await startServer(config, silentLogger, { dashboardDir: null });
    const faults = await (await fetch(`${server.url}/api/emulator/faults`)).json();
    expect(faults).toMatchObject({
      default_seed: 9,
      rules: [{ id: 'fault_1', seed: 9, effect: { kind: 'drop_connection' } }],
    });

    await expect(fetch(`${server.url}/v1/assistants`)).rejects.toThrow(TypeError);
    const after = await fetch(`${server.url}/v1/assistants`);
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ object: 'list', data: [] });
  });

  it('refuses a bad RUNBOARD_FAULTS at start with the reason', () => {
    expect(() => loadConfig({ RUNBOARD_FAULTS: '{"path":"/v1/**"}' })).toThrow(
      new ConfigError('RUNBOARD_FAULTS must be a JSON array of fault rules.'),
    );
    expect(() => loadConfig({ RUNBOARD_FAULTS: '[{"path":"/v1/**","status":700}]' })).toThrow(
      new ConfigError(
        "RUNBOARD_FAULTS[0]: Invalid 'status': expected a value from 400 to 599, but got 700 instead.",
      ),
    );
    expect(() => loadConfig({ RUNBOARD_FAULTS: 'nope' })).toThrow(ConfigError);
  });
});
