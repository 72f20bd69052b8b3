import { describe, expect, it } from 'vitest';
import { mulberry32 } from './emulation/faults/fault-random';
import { createHarness, WEATHER_TOOL } from './test-support/emulator-harness';
import { assertErrorResponse } from './test-support/openapi-contract';

/**
 * Request fuzzing with a fixed seed: random and malformed bodies, wrong types, huge numbers, odd unicode, deep
 * nesting, odd ids and queries against every emulator route. Every answer is a 2xx (the input happened to be
 * valid) or a 4xx in OpenAI's error shape; never a 5xx, and the emulator keeps serving.
 */
const SEED = 20260826;
const REQUESTS = 3000;
const DEEP = '__DEEP__';
const DEPTH = 20_000;

const random = mulberry32(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (p: number) => random() < p;

const ODD_STRINGS = [
  '',
  ' ',
  '\ud800',
  'lone \udfff tail',
  '\u202eevil.exe\u202c',
  'שלום עולם',
  'zero\u200bwidth\u200d\ufeff',
  '👩‍👩‍👧‍👦🏳️‍🌈',
  '\u0000nul',
  'line\r\nbreak',
  "' OR 1=1 --",
  '../../etc/passwd',
  '%00%2F',
  'x'.repeat(300_000),
  'thread_',
  'run_abc',
  'call_' + 'a'.repeat(24),
  '{"json":"in a string"}',
];
const ODD_NUMBERS = [0, -0, -1, 1.5, 1e308, -1e308, 5e-324, 2 ** 53 + 2, -(2 ** 63), 101, 4294967296];
const oddValue = (): unknown =>
  pick<() => unknown>([
    () => pick(ODD_STRINGS),
    () => pick(ODD_NUMBERS),
    () => pick([null, true, false]),
    () => [],
    () => [pick(ODD_STRINGS), pick(ODD_NUMBERS)],
    () => ({}),
    () => ({ [pick(ODD_STRINGS)]: pick(ODD_STRINGS) }),
    () => Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, 'v'])),
    () => DEEP,
  ])();

const RAW_BODIES = [
  '{',
  '[',
  '}',
  'null',
  'true',
  '"a string"',
  '12345',
  '[1,2,3]',
  '{"a":}',
  '{"model": NaN}',
  '{"limit": Infinity}',
  "{'single': 'quotes'}",
  '\ufeff{}',
  '{"a":"\\ud800"}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '\u0000\u0001\u0002',
  '{"a":1,"a":2}',
];

const STEP_INCLUDE = 'step_details.tool_calls[*].file_search.results[*].content';

interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** `:name` segments are filled with real ids (or, sometimes, odd ones). */
  path: string;
  body?: Record<string, unknown>;
  query?: Record<string, string>;
}

function routes(ids: Record<string, string>): Route[] {
  const list = { limit: '20', order: 'desc', after: ids.run_id!, before: ids.run_id! };
  return [
    {
      method: 'POST',
      path: '/v1/assistants',
      body: {
        model: 'gpt-4o',
        name: 'Fuzz',
        description: 'd',
        instructions: 'i',
        tools: [WEATHER_TOOL],
        metadata: { team: 'fuzz' },
        temperature: 1,
        top_p: 1,
        response_format: 'auto',
      },
    },
    { method: 'GET', path: '/v1/assistants', query: { limit: '5', order: 'asc' } },
    { method: 'GET', path: '/v1/assistants/:assistant_id' },
    {
      method: 'POST',
      path: '/v1/assistants/:assistant_id',
      body: { name: 'Renamed', tools: [WEATHER_TOOL], metadata: { k: 'v' }, temperature: 0.5 },
    },
    {
      method: 'POST',
      path: '/v1/threads',
      body: { messages: [{ role: 'user', content: 'hello', metadata: {} }], metadata: { a: 'b' } },
    },
    { method: 'GET', path: '/v1/threads', query: { limit: '3' } },
    { method: 'GET', path: '/v1/threads/:thread_id' },
    {
      method: 'POST',
      path: '/v1/threads/:thread_id',
      body: { metadata: { k: 'v' }, tool_resources: { code_interpreter: { file_ids: [] } } },
    },
    {
      method: 'POST',
      path: '/v1/threads/runs',
      body: {
        assistant_id: ids.assistant_id,
        thread: { messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] },
        instructions: 'x',
        metadata: {},
      },
    },
    {
      method: 'POST',
      path: '/v1/threads/:thread_id/messages',
      body: { role: 'user', content: 'more', metadata: { k: 'v' } },
    },
    { method: 'GET', path: '/v1/threads/:thread_id/messages', query: { limit: '10', run_id: ids.run_id! } },
    { method: 'GET', path: '/v1/threads/:thread_id/messages/:message_id' },
    { method: 'POST', path: '/v1/threads/:thread_id/messages/:message_id', body: { metadata: { k: 'v' } } },
    { method: 'DELETE', path: '/v1/threads/:thread_id/messages/:message_id' },
    { method: 'GET', path: '/v1/threads/:thread_id/runs', query: list },
    {
      method: 'POST',
      path: '/v1/threads/:thread_id/runs',
      body: {
        assistant_id: ids.assistant_id,
        model: 'gpt-4o',
        instructions: 'i',
        additional_instructions: 'more',
        additional_messages: [{ role: 'user', content: 'x' }],
        tools: [WEATHER_TOOL],
        metadata: { k: 'v' },
        temperature: 0.5,
        top_p: 0.5,
        max_prompt_tokens: 1000,
        max_completion_tokens: 1000,
        truncation_strategy: { type: 'last_messages', last_messages: 3 },
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
        parallel_tool_calls: true,
        response_format: { type: 'json_object' },
      },
    },
    { method: 'GET', path: '/v1/threads/:thread_id/runs/:run_id' },
    { method: 'POST', path: '/v1/threads/:thread_id/runs/:run_id', body: { metadata: { k: 'v' } } },
    { method: 'POST', path: '/v1/threads/:thread_id/runs/:run_id/cancel' },
    {
      method: 'POST',
      path: '/v1/threads/:thread_id/runs/:run_id/submit_tool_outputs',
      body: { tool_outputs: [{ tool_call_id: ids.call_id, output: '{"t":1}' }] },
    },
    {
      method: 'GET',
      path: '/v1/threads/:thread_id/runs/:run_id/steps',
      query: { limit: '2', order: 'asc', 'include[]': STEP_INCLUDE },
    },
    {
      method: 'GET',
      path: '/v1/threads/:thread_id/runs/:run_id/steps/:step_id',
      query: { 'include[]': STEP_INCLUDE },
    },
    { method: 'GET', path: '/api/emulator/clock' },
    { method: 'POST', path: '/api/emulator/clock', body: { advance_seconds: 1 } },
    { method: 'POST', path: '/api/emulator/time-scale', body: { time_scale: 1 } },
    { method: 'POST', path: '/api/emulator/seed', body: { count: 3, thread_id: ids.thread_id } },
    { method: 'POST', path: '/api/emulator/faults', body: { path: '/v1/nowhere', status: 503, count: 1 } },
    { method: 'DELETE', path: '/api/emulator/faults/:fault_id' },
  ];
}

/** Replaces one value somewhere in the body (or drops it, or adds an unknown field). */
function mutate(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return oddValue();
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...value };
  const keys = Object.keys(copy);
  if (keys.length === 0 || chance(0.15)) {
    (copy as Record<string, unknown>)[chance(0.5) ? 'unexpected_field' : pick(ODD_STRINGS).slice(0, 20)] =
      oddValue();
    return copy;
  }
  const key = pick(keys);
  const target = copy as Record<string, unknown>;
  if (chance(0.1)) delete target[key];
  else target[key] = chance(0.5) ? mutate(target[key]) : oddValue();
  return copy;
}

function bodyText(route: Route): string | undefined {
  if (route.method === 'GET') return undefined;
  if (route.method === 'DELETE') return chance(0.1) ? pick(RAW_BODIES) : undefined;
  if (chance(0.15)) return pick(RAW_BODIES);
  const body = chance(0.1) ? route.body : mutate(route.body ?? {});
  const deep = '['.repeat(DEPTH) + ']'.repeat(DEPTH);
  return JSON.stringify(body)
    ?.split(JSON.stringify(DEEP))
    .join(chance(0.5) ? deep : `{"a":${deep}}`);
}

/** Odd ids, percent-encoded bytes that are not UTF-8, traversal, encoded slashes. */
const ODD_SEGMENTS = [
  '%ED%A0%80',
  '%FF',
  '%2F..%2F',
  '..',
  '%00',
  'thread_%E2%80%AE',
  'run_' + 'z'.repeat(5000),
  '%F0%9F%98%80',
];

function fillPath(route: Route, ids: Record<string, string>): string {
  return route.path.replace(/:(\w+)/g, (_, name: string) =>
    chance(0.15) ? pick(ODD_SEGMENTS) : encodeURIComponent(ids[name] ?? 'unknown'),
  );
}

function queryText(route: Route): string {
  const query = { ...(route.query ?? {}) };
  if (chance(0.5)) {
    const key = chance(0.8) && Object.keys(query).length > 0 ? pick(Object.keys(query)) : 'surprise';
    query[key] = pick([
      '-1',
      '0',
      '101',
      '1e309',
      'NaN',
      '1.5',
      'ASC',
      '',
      '\u202e',
      'thread_x',
      '9'.repeat(400),
    ]);
  }
  const raw = Object.entries(query).map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  if (chance(0.05)) raw.push('limit=%FF', 'order=%ED%A0%80');
  if (chance(0.05)) raw.push('limit=1', 'limit=2');
  return raw.length ? `?${raw.join('&')}` : '';
}

describe('request fuzzing (seed ' + SEED + ')', () => {
  it(`answers ${REQUESTS} random and malformed requests with 2xx or a 4xx in the error shape, never a 5xx`, async () => {
    const harness = await createHarness({ faultSleep: async () => {} });
    const { client, app } = harness;
    const assistant = await client.beta.assistants.create({ model: 'gpt-4o', tools: [WEATHER_TOOL] });
    const thread = await client.beta.threads.create({ messages: [{ role: 'user', content: 'Weather?' }] });
    const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await harness.advance(2);
    const waiting = await client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id });
    const steps = await client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id });
    const messages = await client.beta.threads.messages.list(thread.id);
    const ids: Record<string, string> = {
      assistant_id: assistant.id,
      thread_id: thread.id,
      run_id: run.id,
      message_id: messages.data[0]!.id,
      step_id: steps.data[0]?.id ?? 'step_' + 'a'.repeat(24),
      call_id: waiting.required_action!.submit_tool_outputs.tool_calls[0]!.id,
      fault_id: 'fault_1',
    };
    const table = routes(ids);

    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < REQUESTS; i++) {
      const route = pick(table);
      const url = `http://emulator.test${fillPath(route, ids)}${queryText(route)}`;
      const body = bodyText(route);
      const headers: Record<string, string> = {
        'content-type': chance(0.9)
          ? 'application/json'
          : pick(['text/plain', 'application/x-www-form-urlencoded', '']),
      };
      const response = await app.request(url, { method: route.method, headers, body });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const text = await response.text();
      const describe = () =>
        `${route.method} ${url.slice(0, 200)} ${String(body).slice(0, 200)} → ${response.status} ${text.slice(0, 300)}`;
      if (response.status >= 500) failures.push(describe());
      else if (response.status >= 400) {
        try {
          assertErrorResponse(JSON.parse(text));
        } catch (error) {
          failures.push(`${describe()} (${(error as Error).message.slice(0, 200)})`);
        }
      } else {
        try {
          JSON.parse(text);
        } catch {
          failures.push(`${describe()} (2xx without JSON)`);
        }
      }
      // A fuzzed fault rule must not turn later answers into injected 5xx.
      if (route.path === '/api/emulator/faults' && response.status === 201) {
        await app.request('http://emulator.test/api/emulator/faults', { method: 'DELETE' });
      }
    }

    expect(failures).toEqual([]);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(REQUESTS / 4);
    expect([...statuses.keys()].some((status) => status < 300)).toBe(true);

    // Still serving: a whole run lifecycle through the SDK (at normal speed: the fuzz may have changed it).
    expect((await harness.admin('/time-scale', { time_scale: 1 })).status).toBe(200);
    const after = await client.beta.threads.createAndRun({ assistant_id: assistant.id, tools: [] });
    await harness.advance(5);
    expect((await client.beta.threads.runs.retrieve(after.id, { thread_id: after.thread_id })).status).toBe(
      'completed',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await harness.close();
  }, 120_000);

  it('refuses bodies nested too deeply, and samples arguments for hostile tool schemas without running out of memory', async () => {
    const harness = await createHarness();
    const { client, app } = harness;
    const assistant = await client.beta.assistants.create({ model: 'gpt-4o' });
    const deep =
      '{"type":"object","required":["x"],"properties":{"x":'.repeat(20_000) + '{}' + '}}'.repeat(20_000);
    const thread = await client.beta.threads.create();
    const refused = await app.request(`http://emulator.test/v1/threads/${thread.id}/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"assistant_id":"${assistant.id}","tools":[{"type":"function","function":{"name":"f","parameters":${deep}}}]}`,
    });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.message).toBe(
      'Invalid body: the JSON is nested too deeply. Expected at most 64 levels of objects and arrays.',
    );

    const hostile: Record<string, unknown>[] = [
      { type: 'object', properties: { s: { type: 'string', minLength: 1e12 } }, required: ['s'] },
      {
        type: 'object',
        properties: {
          xs: {
            type: 'array',
            minItems: 1e9,
            items: { type: 'array', minItems: 1e9, items: { type: 'string', minLength: 1e9 } },
          },
        },
        required: ['xs'],
      },
      { type: 'object', properties: { self: { $ref: '#' } }, required: ['self'] },
      { $defs: { a: { $ref: '#/$defs/b' }, b: { $ref: '#/$defs/a' } }, $ref: '#/$defs/a' },
      { type: 'object', properties: { e: { enum: [], maximum: -1e308, minimum: 1e308 } } },
    ];
    for (const parameters of hostile) {
      const own = await client.beta.threads.create();
      const run = await client.beta.threads.runs.create(own.id, {
        assistant_id: assistant.id,
        tools: [{ type: 'function', function: { name: 'f', parameters } }],
      });
      await harness.advance(2);
      const waiting = await client.beta.threads.runs.retrieve(run.id, { thread_id: own.id });
      expect(waiting.status).toBe('requires_action');
      const call = waiting.required_action!.submit_tool_outputs.tool_calls[0]!;
      expect(call.function.arguments.length).toBeLessThan(2_000_000);
      expect(typeof JSON.parse(call.function.arguments)).toBe('object');
    }
    // Not JSON Schema at all (an empty oneOf, a null in allOf): refused at creation, see function-schema-fuzz.test.ts.
    const notSchema = { type: 'object', properties: { e: { oneOf: [], allOf: [null] } } };
    await expect(
      client.beta.threads.runs.create(thread.id, {
        assistant_id: assistant.id,
        tools: [{ type: 'function', function: { name: 'f', parameters: notSchema } }],
      }),
    ).rejects.toMatchObject({ status: 400, param: 'tools[0].function.parameters' });
    await harness.close();
  });
});
