import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from './emulation/faults/fault-random';
import { createHarness, type Harness } from './test-support/emulator-harness';
import { assertErrorResponse } from './test-support/openapi-contract';

/**
 * Hostile function schemas, with a fixed seed: keywords of the wrong shape, references that lead nowhere or round in
 * circles, huge bounds. Wherever a function tool is accepted (assistant create and modify, run create, create thread
 * and run) the answer is a 200 or a 400 naming the field, never a 500, and every run that was created goes on to
 * wait for its tool outputs, then completes: none wedges.
 */
const SEED = 20261204;
const SCHEMAS = 300;

const random = mulberry32(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** The shapes the issue saw, first; then random ones. */
const KNOWN_BAD: Array<Record<string, unknown>> = [
  { type: 'object', properties: { a: { $ref: '#/%' } } },
  { type: 'object', required: 5 },
  { type: 'object', properties: { a: { type: 'string' } }, required: [5, null] },
  { allOf: [5, null, { required: null }] },
  { type: 'object', properties: { a: { format: '__proto__' } } },
];
const ODD = [5, -1, 1.5, 1e308, '', '%', 'x', null, true, false, [], [5], {}, { a: 5 }, ['a', 'b']];
const REFS = [
  '#',
  '#/',
  '#/%',
  '#/%E0%A4%A',
  '#/properties/a',
  '#/$defs/node',
  '#/definitions/x',
  '#x',
  'http://x/y',
];
const TYPES = [
  'object',
  'array',
  'string',
  'integer',
  'number',
  'boolean',
  'null',
  'date',
  ['string', 'null'],
  [],
];

function randomSchema(depth: number): unknown {
  if (depth > 3 || random() < 0.15) return pick(ODD);
  const schema: Record<string, unknown> = {};
  const keywords = 1 + Math.floor(random() * 4);
  for (let i = 0; i < keywords; i++) {
    const keyword = pick([
      'type',
      'properties',
      'required',
      'items',
      '$ref',
      'allOf',
      'anyOf',
      'enum',
      'minLength',
      'minItems',
      'maxItems',
      'minimum',
      'multipleOf',
      '$defs',
      'additionalProperties',
      'format',
    ]);
    schema[keyword] = randomValue(keyword, depth);
  }
  return schema;
}

function randomValue(keyword: string, depth: number): unknown {
  if (random() < 0.25) return pick(ODD);
  switch (keyword) {
    case 'type':
      return pick(TYPES);
    case 'properties':
    case '$defs':
      return {
        a: randomSchema(depth + 1),
        node: randomSchema(depth + 1),
        __proto__x: randomSchema(depth + 1),
      };
    case 'required':
      return pick([['a'], ['a', 'missing'], [], ['node']]);
    case 'items':
    case 'additionalProperties':
      return randomSchema(depth + 1);
    case '$ref':
      return pick(REFS);
    case 'allOf':
    case 'anyOf':
      return [randomSchema(depth + 1), randomSchema(depth + 1)];
    case 'enum':
      return pick([['x'], [], [null, 5]]);
    case 'format':
      return pick(['date-time', 'email', 'constructor', 'toString']);
    default:
      return pick([0, 3, 1e9, 1e308, 2.5, -3]);
  }
}

function functionTool(parameters: unknown) {
  return { type: 'function', function: { name: 'probe', parameters } };
}

let directory: string;
let harness: Harness;
let assistantId: string;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'runboard-schema-fuzz-'));
  harness = await createHarness({ dbPath: join(directory, 'emulator.sqlite') });
  assistantId = (await harness.client.beta.assistants.create({ model: 'gpt-4o' })).id;
});
afterAll(async () => {
  await harness.close();
  rmSync(directory, { recursive: true, force: true });
});

async function post(path: string, body: unknown): Promise<Response> {
  return harness.app.request(`/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function newThread(): Promise<string> {
  return ((await (await post('/threads', {})).json()) as { id: string }).id;
}

/** Every place a function tool is accepted; returns the answer and the run it created, if any. */
const ROUTES: Array<
  (tools: unknown[]) => Promise<{ response: Response; run?: { id: string; thread_id: string } }>
> = [
  async (tools) => {
    const response = await post('/assistants', { model: 'gpt-4o', tools });
    if (!response.ok) return { response };
    const { id } = (await response.clone().json()) as { id: string };
    const run = await post(`/threads/${await newThread()}/runs`, { assistant_id: id });
    expect(run.status).toBe(200);
    return { response, run: (await run.json()) as { id: string; thread_id: string } };
  },
  async (tools) => ({ response: await post(`/assistants/${assistantId}`, { tools }) }),
  async (tools) => {
    const response = await post(`/threads/${await newThread()}/runs`, { assistant_id: assistantId, tools });
    return { response, run: response.ok ? await response.clone().json() : undefined };
  },
  async (tools) => {
    const response = await post('/threads/runs', { assistant_id: assistantId, tools });
    return { response, run: response.ok ? await response.clone().json() : undefined };
  },
];

async function expectEveryRunCompletes(runs: Array<{ id: string; thread_id: string }>): Promise<void> {
  await harness.advance(5);
  for (const run of runs) {
    const waiting = await harness.client.beta.threads.runs.retrieve(run.id, { thread_id: run.thread_id });
    expect(waiting.status).toBe('requires_action');
    const calls = waiting.required_action!.submit_tool_outputs.tool_calls;
    for (const call of calls) expect(() => JSON.parse(call.function.arguments) as unknown).not.toThrow();
    await harness.client.beta.threads.runs.submitToolOutputs(run.id, {
      thread_id: run.thread_id,
      tool_outputs: calls.map((call) => ({ tool_call_id: call.id, output: 'ok' })),
    });
  }
  await harness.advance(5);
  for (const run of runs) {
    const done = await harness.client.beta.threads.runs.retrieve(run.id, { thread_id: run.thread_id });
    expect(done.status).toBe('completed');
  }
}

describe('hostile function schemas', () => {
  it(`${KNOWN_BAD.length} known and ${SCHEMAS} random schemas: 200 or a 400 naming the parameters, never a 500; no run wedges`, async () => {
    const schemas = [...KNOWN_BAD, ...Array.from({ length: SCHEMAS }, () => randomSchema(0))];
    const runs: Array<{ id: string; thread_id: string }> = [];
    const statuses = new Map<number, number>();
    for (const [index, parameters] of schemas.entries()) {
      const tools = [{ type: 'file_search' }, functionTool(parameters)];
      const { response, run } = await ROUTES[index % ROUTES.length]!(tools);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const context = `schema ${index}: ${JSON.stringify(parameters)}`;
      expect([200, 400], context).toContain(response.status);
      if (response.status === 400) {
        const body = (await response.json()) as { error: { param: string; message: string } };
        assertErrorResponse(body);
        if (body.error.param.endsWith('.parameters')) {
          expect(body.error.param, context).toBe('tools[1].function.parameters');
          expect(body.error.message, context).toMatch(
            /^(Invalid schema for function 'probe': |Invalid type for 'tools\[1\]\.function\.parameters')/,
          );
        }
      }
      if (run) runs.push(run);
    }
    // Both kinds happened: the fuzz is not all refused, nor all accepted.
    expect(statuses.get(200)).toBeGreaterThan(20);
    expect(statuses.get(400)).toBeGreaterThan(20);
    await expectEveryRunCompletes(runs);
  });

  it('the shapes that made every run answer 500 are refused with OpenAI-style wording', async () => {
    const cases: Array<[unknown, string]> = [
      [
        { type: 'object', properties: { a: { $ref: '#/%' } } },
        "Invalid schema for function 'probe': In context=('properties', 'a'), Unresolvable JSON pointer: '#/%'.",
      ],
      [{ type: 'object', required: 5 }, "Invalid schema for function 'probe': 5 is not of type 'array'."],
      [
        { type: 'object', properties: { a: { type: 'strin' } } },
        "Invalid schema for function 'probe': In context=('properties', 'a'), 'strin' is not valid under any of the given schemas.",
      ],
    ];
    for (const [parameters, message] of cases) {
      const response = await post('/assistants', { model: 'gpt-4o', tools: [functionTool(parameters)] });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: {
          message,
          type: 'invalid_request_error',
          param: 'tools[0].function.parameters',
          code: 'invalid_function_parameters',
        },
      });
    }
  });

  it('an assistant stored before the check, with a schema the sampler cannot use, still runs', async () => {
    const assistant = await harness.client.beta.assistants.create({ model: 'gpt-4o', tools: [] });
    const db = new Database(join(directory, 'emulator.sqlite'));
    db.prepare("UPDATE assistants SET body = json_set(body, '$.tools', json(?)) WHERE id = ?").run(
      JSON.stringify(
        KNOWN_BAD.map((parameters, i) => ({ type: 'function', function: { name: `f${i}`, parameters } })),
      ),
      assistant.id,
    );
    db.close();
    const thread = await harness.client.beta.threads.create();
    const run = await harness.client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await expectEveryRunCompletes([run]);
  });
});
