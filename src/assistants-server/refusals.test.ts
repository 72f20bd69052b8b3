import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, WEATHER_TOOL, type Harness } from './test-support/emulator-harness';

let harness: Harness;
let client: OpenAI;

beforeEach(async () => {
  harness = await createHarness();
  client = harness.client;
});
afterEach(() => harness.close());

/** The SDK's error as a user sees it: its status, its message (`"<status> <message>"`) and the body's code/param. */
async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => {
      throw new Error('expected the request to be refused');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OpenAI.APIError);
  const apiError = error as InstanceType<typeof OpenAI.APIError>;
  return {
    status: apiError.status,
    message: apiError.message,
    code: apiError.code,
    param: apiError.param,
    type: apiError.type,
  };
}

async function setup(tools: OpenAI.Beta.AssistantTool[] = []) {
  const assistant = await client.beta.assistants.create({ model: 'gpt-4o', tools });
  const thread = await client.beta.threads.create();
  return { assistant, thread };
}

describe('refusals, as OpenAI words them', () => {
  it('unknown thread, run and assistant: 404', async () => {
    const { assistant, thread } = await setup();
    expect(await refusal(client.beta.threads.runs.list('thread_abc123'))).toMatchObject({
      status: 404,
      message: "404 No thread found with id 'thread_abc123'.",
      type: 'invalid_request_error',
    });
    expect(
      await refusal(client.beta.threads.runs.retrieve('run_abc123', { thread_id: thread.id })),
    ).toMatchObject({
      status: 404,
      message: "404 No run found with id 'run_abc123'.",
    });
    expect(
      await refusal(client.beta.threads.runs.create(thread.id, { assistant_id: 'asst_nope' })),
    ).toMatchObject({
      status: 404,
      message: "404 No assistant found with id 'asst_nope'.",
    });
    expect(await refusal(client.beta.assistants.retrieve('asst_nope'))).toMatchObject({ status: 404 });
    void assistant;
  });

  it('a run of another thread is not found through this one', async () => {
    const { assistant, thread } = await setup();
    const other = await client.beta.threads.create();
    const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    expect(await refusal(client.beta.threads.runs.retrieve(run.id, { thread_id: other.id }))).toMatchObject({
      status: 404,
      message: `404 No run found with id '${run.id}'.`,
    });
  });

  it('malformed ids: 400', async () => {
    expect(await refusal(client.beta.threads.runs.list('undefined'))).toMatchObject({
      status: 400,
      message: "400 Invalid 'thread_id': 'undefined'. Expected an ID that begins with 'thread'.",
      param: 'thread_id',
    });
    const { thread } = await setup();
    expect(
      await refusal(client.beta.threads.runs.retrieve('step_1', { thread_id: thread.id })),
    ).toMatchObject({
      status: 400,
      message: "400 Invalid 'run_id': 'step_1'. Expected an ID that begins with 'run'.",
    });
    expect(
      await refusal(client.beta.threads.runs.create(thread.id, { assistant_id: 'gpt-4o' })),
    ).toMatchObject({
      status: 400,
      message: "400 Invalid 'assistant_id': 'gpt-4o'. Expected an ID that begins with 'asst'.",
    });
  });

  it('cancelling an ended run', async () => {
    const { assistant, thread } = await setup();
    const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await harness.advance(2);
    expect(await refusal(client.beta.threads.runs.cancel(run.id, { thread_id: thread.id }))).toMatchObject({
      status: 400,
      message: "400 Cannot cancel run with status 'completed'.",
    });
  });

  it('submitting to a run that is not waiting', async () => {
    const { assistant, thread } = await setup([WEATHER_TOOL]);
    const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    const submit = () =>
      client.beta.threads.runs.submitToolOutputs(run.id, {
        thread_id: thread.id,
        tool_outputs: [{ tool_call_id: 'call_x', output: '1' }],
      });
    expect(await refusal(submit())).toMatchObject({
      status: 400,
      message: '400 Runs in status "queued" do not accept tool outputs.',
    });
    await harness.advance(600);
    expect(await refusal(submit())).toMatchObject({
      status: 400,
      message: '400 Runs in status "expired" do not accept tool outputs.',
    });
  });

  it('outputs missing or not matching the tool calls', async () => {
    const tools = [
      WEATHER_TOOL,
      { ...WEATHER_TOOL, function: { ...WEATHER_TOOL.function, name: 'get_forecast' } },
    ];
    const { assistant, thread } = await setup(tools);
    const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await harness.advance(2);
    const waiting = await client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id });
    const [a, b] = waiting.required_action!.submit_tool_outputs.tool_calls.map((call) => call.id);
    const submit = (ids: string[]) =>
      client.beta.threads.runs.submitToolOutputs(run.id, {
        thread_id: thread.id,
        tool_outputs: ids.map((id) => ({ tool_call_id: id, output: 'ok' })),
      });
    expect(await refusal(submit([a!]))).toMatchObject({
      status: 400,
      message: `400 Expected tool outputs for call_ids ['${a}', '${b}'], got ['${a}']`,
    });
    expect(await refusal(submit([a!, 'call_other']))).toMatchObject({
      status: 400,
      message: `400 Expected tool outputs for call_ids ['${a}', '${b}'], got ['${a}', 'call_other']`,
    });
    expect((await client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id })).status).toBe(
      'requires_action',
    );
  });

  it('a second active run, and a message, on a locked thread', async () => {
    const { assistant, thread } = await setup();
    const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    expect(
      await refusal(client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id })),
    ).toMatchObject({
      status: 400,
      message: `400 Thread ${thread.id} already has an active run ${run.id}.`,
    });
    expect(
      await refusal(client.beta.threads.messages.create(thread.id, { role: 'user', content: 'hi' })),
    ).toMatchObject({
      status: 400,
      message: `400 Can't add messages to ${thread.id} while a run ${run.id} is active.`,
    });
    await harness.advance(2);
    await expect(
      client.beta.threads.messages.create(thread.id, { role: 'user', content: 'hi' }),
    ).resolves.toBeTruthy();
  });

  it('metadata over 16 pairs, 64-character keys or 512-character values', async () => {
    const { assistant, thread } = await setup();
    const create = (metadata: Record<string, string>) =>
      client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id, metadata });
    const seventeen = Object.fromEntries(Array.from({ length: 17 }, (_, index) => [`k${index}`, 'v']));
    expect(await refusal(create(seventeen))).toMatchObject({
      status: 400,
      message:
        "400 Invalid 'metadata': too many properties. Expected an object with at most 16 properties, but got an object with 17 properties instead.",
      code: 'object_above_max_properties',
      param: 'metadata',
    });
    expect(await refusal(create({ ['k'.repeat(65)]: 'v' }))).toMatchObject({
      status: 400,
      code: 'property_name_above_max_length',
    });
    expect(await refusal(create({ note: 'v'.repeat(513) }))).toMatchObject({
      status: 400,
      message:
        "400 Invalid 'metadata.note': string too long. Expected a string with maximum length 512, but got a string with length 513 instead.",
      code: 'string_above_max_length',
    });
    const run = await create({ ['k'.repeat(64)]: 'v'.repeat(512) });
    expect(
      await refusal(client.beta.threads.runs.update(run.id, { thread_id: thread.id, metadata: seventeen })),
    ).toMatchObject({ status: 400, code: 'object_above_max_properties' });
  });

  it('limit out of range, and an unknown order', async () => {
    const { thread } = await setup();
    expect(await refusal(client.beta.threads.runs.list(thread.id, { limit: 101 }))).toMatchObject({
      status: 400,
      message:
        "400 Invalid 'limit': integer above maximum value. Expected a value <= 100, but got 101 instead.",
      code: 'integer_above_max_value',
      param: 'limit',
    });
    expect(await refusal(client.beta.threads.runs.list(thread.id, { limit: 0 }))).toMatchObject({
      status: 400,
      message: "400 Invalid 'limit': integer below minimum value. Expected a value >= 1, but got 0 instead.",
      code: 'integer_below_min_value',
    });
    expect(
      await refusal(client.beta.threads.runs.list(thread.id, { order: 'sideways' as 'asc' })),
    ).toMatchObject({
      status: 400,
      message: "400 Invalid value: 'sideways'. Supported values are: 'asc' and 'desc'.",
    });
  });

  it('a limit that is not plain digits (hex, exponent, spaces, decimals)', async () => {
    const { thread } = await setup();
    for (const limit of ['0x10', '1e2', ' 5', '5 ', '5.0', '+5', '-0', '']) {
      const response = await harness.app.request(
        `/v1/threads/${thread.id}/runs?limit=${encodeURIComponent(limit)}`,
      );
      expect(response.status, `limit=${JSON.stringify(limit)}`).toBe(400);
      expect(await response.json()).toMatchObject({
        error: {
          message: "Invalid type for 'limit': expected an integer, but got a string instead.",
          param: 'limit',
          code: 'invalid_type',
        },
      });
    }
    expect((await harness.app.request(`/v1/threads/${thread.id}/runs?limit=05`)).status).toBe(200);
  });

  it("a run's instructions and additional instructions over 256,000 characters, as an assistant's", async () => {
    const { assistant, thread } = await setup();
    const tooLong = 'x'.repeat(256_001);
    for (const field of ['instructions', 'additional_instructions'] as const) {
      expect(
        await refusal(
          client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id, [field]: tooLong }),
        ),
      ).toMatchObject({
        status: 400,
        message: `400 Invalid '${field}': string too long. Expected a string with maximum length 256000, but got a string with length 256001 instead.`,
        param: field,
        code: 'string_above_max_length',
      });
    }
    expect(
      await refusal(client.beta.threads.createAndRun({ assistant_id: assistant.id, instructions: tooLong })),
    ).toMatchObject({ status: 400, param: 'instructions', code: 'string_above_max_length' });
    const atTheLimit = await client.beta.threads.runs.create(thread.id, {
      assistant_id: assistant.id,
      instructions: 'x'.repeat(256_000),
    });
    expect(atTheLimit.instructions).toHaveLength(256_000);
  });

  it('quotes at most 100 characters of a refused value', async () => {
    const { thread } = await setup();
    const huge = 'a'.repeat(100_000);
    const order = await harness.app.request(`/v1/threads/${thread.id}/runs?order=${huge}`);
    expect(order.status).toBe(400);
    expect(((await order.json()) as { error: { message: string } }).error.message).toBe(
      `Invalid value: '${'a'.repeat(100)}…'. Supported values are: 'asc' and 'desc'.`,
    );
    const missing = await harness.app.request(`/v1/threads/thread_${huge}`);
    expect(missing.status).toBe(404);
    const message = ((await missing.json()) as { error: { message: string } }).error.message;
    expect(message).toBe(`No thread found with id 'thread_${'a'.repeat(93)}…'.`);
    const unknownField = await harness.app.request('/v1/threads', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ [huge]: 1 }),
    });
    expect(((await unknownField.json()) as { error: { message: string } }).error.message).toBe(
      `Unrecognized request argument supplied: ${'a'.repeat(100)}…`,
    );
    const malformed = await harness.app.request(`/v1/threads/${thread.id}/runs?after=${huge}`);
    expect(((await malformed.json()) as { error: { message: string } }).error.message.length).toBeLessThan(
      200,
    );
  });

  it('unknown parameters, wrong types and out-of-range numbers', async () => {
    const { assistant, thread } = await setup();
    const create = (body: Record<string, unknown>) =>
      client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id, ...body });
    expect(await refusal(create({ colour: 'blue' }))).toMatchObject({
      status: 400,
      message: '400 Unrecognized request argument supplied: colour',
    });
    expect(await refusal(create({ temperature: 'hot' }))).toMatchObject({
      status: 400,
      message: "400 Invalid type for 'temperature': expected a number, but got a string instead.",
      param: 'temperature',
      code: 'invalid_type',
    });
    expect(await refusal(create({ temperature: 2.5 }))).toMatchObject({
      status: 400,
      message:
        "400 Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 2.5 instead.",
    });
    expect(await refusal(create({ top_p: -0.1 }))).toMatchObject({
      status: 400,
      param: 'top_p',
      code: 'decimal_below_min_value',
    });
    expect(await refusal(create({ max_prompt_tokens: 100 }))).toMatchObject({
      status: 400,
      message:
        "400 Invalid 'max_prompt_tokens': integer below minimum value. Expected a value >= 256, but got 100 instead.",
    });
    expect(await refusal(create({ max_completion_tokens: 300.5 }))).toMatchObject({
      status: 400,
      code: 'invalid_type',
    });
    const tools = Array.from({ length: 21 }, () => ({ type: 'code_interpreter' }));
    expect(await refusal(create({ tools }))).toMatchObject({
      status: 400,
      message:
        "400 Invalid 'tools': array too long. Expected an array with maximum length 20, but got an array with length 21 instead.",
    });
    expect(await refusal(create({ tools: [{ type: 'browser' }] }))).toMatchObject({
      status: 400,
      param: 'tools[0].type',
    });
    expect(await refusal(create({ stream: 'yes' }))).toMatchObject({
      status: 400,
      message: "400 Invalid type for 'stream': expected a boolean, but got a string instead.",
      param: 'stream',
    });
    expect(await refusal(client.beta.threads.runs.create(thread.id, {} as never))).toMatchObject({
      status: 400,
      message: "400 Missing required parameter: 'assistant_id'.",
    });
  });

  it('a malformed JSON body, and an unknown route', async () => {
    const { thread } = await setup();
    const response = await harness.app.request(`/v1/threads/${thread.id}/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"assistant_id": ',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(body.error).toEqual({
      message: expect.stringContaining('We could not parse the JSON body of your request.'),
      type: 'invalid_request_error',
      param: null,
      code: null,
    });
    const unknown = await harness.app.request('/v1/fine_tuning/jobs');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: {
        message: 'Invalid URL (GET /v1/fine_tuning/jobs)',
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    });
  });

  it('modify and delete: unknown and malformed ids, on each kind of object', async () => {
    const { thread } = await setup();
    const other = await client.beta.threads.create({ messages: [{ role: 'user', content: 'x' }] });
    const [message] = (await client.beta.threads.messages.list(other.id)).data;
    expect(await refusal(client.beta.assistants.update('asst_nope', { name: 'x' }))).toMatchObject({
      status: 404,
      message: "404 No assistant found with id 'asst_nope'.",
      type: 'invalid_request_error',
    });
    expect(await refusal(client.beta.assistants.delete('asst_nope'))).toMatchObject({
      status: 404,
      message: "404 No assistant found with id 'asst_nope'.",
    });
    expect(await refusal(client.beta.assistants.delete('thread_1'))).toMatchObject({
      status: 400,
      message: "400 Invalid 'assistant_id': 'thread_1'. Expected an ID that begins with 'asst'.",
      param: 'assistant_id',
    });
    expect(await refusal(client.beta.threads.update('thread_nope', { metadata: {} }))).toMatchObject({
      status: 404,
      message: "404 No thread found with id 'thread_nope'.",
    });
    expect(await refusal(client.beta.threads.delete('undefined'))).toMatchObject({
      status: 400,
      message: "400 Invalid 'thread_id': 'undefined'. Expected an ID that begins with 'thread'.",
    });
    expect(
      await refusal(client.beta.threads.messages.update('msg_nope', { thread_id: thread.id, metadata: {} })),
    ).toMatchObject({ status: 404, message: "404 No message found with id 'msg_nope'." });
    // A message is found only through its own thread.
    expect(
      await refusal(client.beta.threads.messages.delete(message!.id, { thread_id: thread.id })),
    ).toMatchObject({ status: 404, message: `404 No message found with id '${message!.id}'.` });
    expect(
      await refusal(client.beta.threads.messages.delete('run_1', { thread_id: thread.id })),
    ).toMatchObject({
      status: 400,
      message: "400 Invalid 'message_id': 'run_1'. Expected an ID that begins with 'msg'.",
    });
    const deleteRun = await harness.app.request(`/v1/threads/${thread.id}/runs/run_1`, { method: 'DELETE' });
    expect(deleteRun.status).toBe(404);
    expect(((await deleteRun.json()) as { error: { message: string } }).error.message).toBe(
      `Invalid URL (DELETE /v1/threads/${thread.id}/runs/run_1)`,
    );
  });

  it('modify bodies: unknown fields, wrong types and limits, and nothing changes', async () => {
    const { assistant, thread } = await setup([WEATHER_TOOL]);
    const [message] = (
      await client.beta.threads.messages.list(
        (await client.beta.threads.create({ messages: [{ role: 'user', content: 'x' }] })).id,
      )
    ).data;
    const update = (body: Record<string, unknown>) => client.beta.assistants.update(assistant.id, body);
    expect(await refusal(update({ file_ids: ['file_1'] }))).toMatchObject({
      status: 400,
      message: '400 Unrecognized request argument supplied: file_ids',
    });
    expect(await refusal(update({ model: 4 }))).toMatchObject({
      status: 400,
      message: "400 Invalid type for 'model': expected a string, but got an integer instead.",
      param: 'model',
      code: 'invalid_type',
    });
    expect(await refusal(update({ name: 'n'.repeat(257) }))).toMatchObject({
      status: 400,
      message:
        "400 Invalid 'name': string too long. Expected a string with maximum length 256, but got a string with length 257 instead.",
      code: 'string_above_max_length',
    });
    expect(
      await refusal(update({ tools: Array.from({ length: 129 }, () => ({ type: 'code_interpreter' })) })),
    ).toMatchObject({
      status: 400,
      message:
        "400 Invalid 'tools': array too long. Expected an array with maximum length 128, but got an array with length 129 instead.",
    });
    expect(await refusal(update({ temperature: 3 }))).toMatchObject({
      status: 400,
      code: 'decimal_above_max_value',
      param: 'temperature',
    });
    const seventeen = Object.fromEntries(Array.from({ length: 17 }, (_, index) => [`k${index}`, 'v']));
    expect(await refusal(update({ metadata: seventeen }))).toMatchObject({
      status: 400,
      code: 'object_above_max_properties',
    });
    expect(await client.beta.assistants.retrieve(assistant.id)).toEqual(assistant);

    expect(await refusal(client.beta.threads.update(thread.id, { messages: [] } as never))).toMatchObject({
      status: 400,
      message: '400 Unrecognized request argument supplied: messages',
    });
    expect(
      await refusal(client.beta.threads.update(thread.id, { metadata: { note: 'v'.repeat(513) } })),
    ).toMatchObject({ status: 400, param: 'metadata.note', code: 'string_above_max_length' });
    expect(
      await refusal(client.beta.threads.update(thread.id, { tool_resources: 'all' } as never)),
    ).toMatchObject({
      status: 400,
      message: "400 Invalid type for 'tool_resources': expected an object, but got a string instead.",
    });
    expect(await client.beta.threads.retrieve(thread.id)).toEqual(thread);

    expect(
      await refusal(
        client.beta.threads.messages.update(message!.id, {
          thread_id: message!.thread_id,
          content: 'rewritten',
        } as never),
      ),
    ).toMatchObject({ status: 400, message: '400 Unrecognized request argument supplied: content' });
  });

  it('run steps: an include[] value OpenAI does not support', async () => {
    const { assistant, thread } = await setup();
    const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    const supported = "'step_details.tool_calls[*].file_search.results[*].content'";
    expect(
      await refusal(
        client.beta.threads.runs.steps.list(run.id, {
          thread_id: thread.id,
          include: ['step_details.tool_calls[*].file_search.results[*].content', 'usage' as never],
        }),
      ),
    ).toMatchObject({
      status: 400,
      message: `400 Invalid value: 'usage'. Supported values are: ${supported}.`,
      param: 'include[1]',
      code: 'invalid_value',
    });
    expect(
      await refusal(
        client.beta.threads.runs.steps.retrieve('step_1', {
          thread_id: thread.id,
          run_id: run.id,
          include: ['file_search' as never],
        }),
      ),
    ).toMatchObject({ status: 400, param: 'include[0]' });
  });

  it('an unknown scenario name in metadata', async () => {
    const { assistant, thread } = await setup();
    expect(
      await refusal(
        client.beta.threads.runs.create(thread.id, {
          assistant_id: assistant.id,
          metadata: { runboard_scenario: 'explode' },
        }),
      ),
    ).toMatchObject({ status: 400, param: 'metadata.runboard_scenario' });
  });

  it('an unexpected failure answers 500 in the error shape', async () => {
    await harness.close();
    const response = await harness.app.request('/v1/assistants');
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: { message: expect.any(String), type: 'server_error', param: null, code: null },
    });
    harness = await createHarness();
  });
});

describe('a required API key', () => {
  it('refuses a wrong key with the key masked, and accepts the right one', async () => {
    const keyed = await createHarness({ apiKey: 'sk-runboard-secret-1234' });
    try {
      const wrong = new OpenAI({
        apiKey: 'sk-wrong-key-abcd',
        baseURL: 'http://emulator.test/v1',
        fetch: async (url, init) => keyed.app.fetch(new Request(url, init)),
        maxRetries: 0,
      });
      expect(await refusal(wrong.beta.assistants.list())).toMatchObject({
        status: 401,
        message:
          '401 Incorrect API key provided: sk-**********abcd. You can find your API key at https://platform.openai.com/account/api-keys.',
        code: 'invalid_api_key',
        type: 'invalid_request_error',
      });
      const right = new OpenAI({
        apiKey: 'sk-runboard-secret-1234',
        baseURL: 'http://emulator.test/v1',
        fetch: async (url, init) => keyed.app.fetch(new Request(url, init)),
        maxRetries: 0,
      });
      await expect(right.beta.assistants.list()).resolves.toBeTruthy();
      const none = await keyed.app.request('/v1/assistants');
      expect(none.status).toBe(401);
      // Compared as equal-length digests: a prefix, a longer key or one differing in its last character are refused.
      for (const key of ['sk-runboard-secret-123', 'sk-runboard-secret-12345', 'sk-runboard-secret-1235']) {
        const refused = await keyed.app.request('/v1/assistants', {
          headers: { authorization: `Bearer ${key}` },
        });
        expect(refused.status, key).toBe(401);
      }
    } finally {
      await keyed.close();
    }
  });

  it('accepts any key, or none, when no key is configured', async () => {
    expect((await harness.app.request('/v1/assistants')).status).toBe(200);
    expect(
      (await harness.app.request('/v1/assistants', { headers: { authorization: 'Bearer whatever' } })).status,
    ).toBe(200);
  });
});

/** A POST of `body` as written: JSON an SDK would not send. */
const postRaw = (path: string, body: string) =>
  harness.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('a key named __proto__', () => {
  // JSON.parse makes it an own key; zod's records would drop it, so the request is refused rather than stored without it.
  for (const [path, body, param] of [
    ['/v1/threads', '{"metadata":{"__proto__":"kept?","team":"blue"}}', 'metadata'],
    ['/v1/threads', '{"tool_resources":{"__proto__":{}}}', 'tool_resources'],
  ] as const) {
    it(`in ${param} is refused with a 400 naming it, and nothing is created`, async () => {
      const response = await postRaw(path, body);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { message: string; param: string } }).error).toMatchObject({
        message: `Invalid '${param}': the key '__proto__' cannot be stored. Use another key.`,
        param,
      });
      expect(await threadsListed()).toEqual([]);
    });
  }
});

const threadsListed = async () =>
  ((await (await harness.app.request('/v1/threads')).json()) as { data: unknown[] }).data;

describe('the null character (U+0000)', () => {
  // PostgreSQL's jsonb and text cannot hold it: both stores refuse it alike rather than store something else.
  for (const [path, body, param, what] of [
    ['/v1/threads', '{"metadata":{"note":"a\\u0000b"}}', 'metadata.note', 'string'],
    ['/v1/threads', '{"messages":[{"role":"user","content":"hi\\u0000"}]}', 'messages[0].content', 'string'],
    ['/v1/threads', '{"metadata":{"n\\u0000te":"b"}}', 'metadata.n\\u0000te', 'key'],
  ] as const) {
    it(`in ${param} is refused with a 400 naming it, and nothing is created`, async () => {
      const response = await postRaw(path, body);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: unknown }).error).toEqual({
        message: `Invalid '${param}': the ${what} contains the null character (U+0000), which cannot be stored. Remove it.`,
        type: 'invalid_request_error',
        param,
        code: 'invalid_value',
      });
      expect(await threadsListed()).toEqual([]);
    });
  }

  it('an escaped backslash before u0000 is text, and is kept', async () => {
    const response = await postRaw('/v1/threads', '{"metadata":{"note":"a\\\\u0000b"}}');
    expect(response.status).toBe(200);
    expect(((await response.json()) as { metadata: unknown }).metadata).toEqual({ note: 'a\\u0000b' });
  });
});
