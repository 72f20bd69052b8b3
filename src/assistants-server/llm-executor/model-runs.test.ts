import { afterEach, describe, expect, it } from 'vitest';
import type OpenAI from 'openai';
import type { PublishedEvent } from '../events/lifecycle-events';
import { WEATHER_TOOL } from '../test-support/emulator-harness';
import { startModelHarness, TEST_MODEL_KEY, type ModelHarness } from './test-support/model-harness';

let h: ModelHarness;
afterEach(() => h?.stop());

async function setUp(tools: OpenAI.Beta.AssistantTool[] = [], harness?: ModelHarness) {
  h = harness ?? (await startModelHarness());
  const assistant = await h.client.beta.assistants.create({
    model: 'gpt-4o',
    instructions: 'You are a weather bot.',
    tools,
  });
  const thread = await h.client.beta.threads.create({
    messages: [{ role: 'user', content: 'Weather in Paris?' }],
  });
  return { assistant, thread };
}

const poll = { pollIntervalMs: 20 };

function textOf(message: OpenAI.Beta.Threads.Message | undefined): string | undefined {
  const part = message?.content[0];
  return part?.type === 'text' ? part.text.value : undefined;
}

describe('runs executed by a model (SDK, polling)', () => {
  it('answers with the model text, sending the instructions and the thread, and sums usage', async () => {
    const { assistant, thread } = await setUp();
    h.model.script({ text: 'Sunny, 24 °C.', usage: { prompt_tokens: 31, completion_tokens: 6 } });
    const run = await h.client.beta.threads.runs.createAndPoll(
      thread.id,
      { assistant_id: assistant.id, additional_instructions: 'Answer in one line.', temperature: 0.3 },
      poll,
    );
    expect(run).toMatchObject({
      status: 'completed',
      usage: { prompt_tokens: 31, completion_tokens: 6, total_tokens: 37 },
      expires_at: null,
    });
    expect(h.model.requests).toHaveLength(1);
    expect(h.model.requests[0]!.body).toMatchObject({
      model: 'llama3.2',
      messages: [
        { role: 'system', content: 'You are a weather bot.\n\nAnswer in one line.' },
        { role: 'user', content: 'Weather in Paris?' },
      ],
      temperature: 0.3,
      top_p: 1,
      stream: true,
    });
    expect(h.model.requests[0]!.headers.authorization).toBe(`Bearer ${TEST_MODEL_KEY}`);

    const messages = await h.client.beta.threads.messages.list(thread.id, { run_id: run.id });
    expect(messages.data).toHaveLength(1);
    expect(messages.data[0]).toMatchObject({
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'text', text: { value: 'Sunny, 24 °C.' } }],
    });
    const steps = await h.client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id });
    expect(steps.data).toMatchObject([
      {
        type: 'message_creation',
        status: 'completed',
        step_details: { message_creation: { message_id: messages.data[0]!.id } },
        usage: { prompt_tokens: 31, completion_tokens: 6, total_tokens: 37 },
      },
    ]);
    const execution = await h.execution(run.id);
    expect(execution).toMatchObject({ executor: 'model', upstream_model: 'llama3.2' });
    expect(execution.model_calls).toMatchObject([
      {
        turn: 1,
        attempt: 1,
        model: 'llama3.2',
        outcome: 'answered',
        http_status: 200,
        prompt_tokens: 31,
        completion_tokens: 6,
      },
    ]);
    expect(execution.model_calls[0]!.latency_ms).toBeGreaterThanOrEqual(0);
  });

  it('grows the message while the run is in_progress, one update per growth with the text appended', async () => {
    const { assistant, thread } = await setUp();
    const growth: PublishedEvent[] = [];
    h.emulator.events.subscribe((published) => {
      if (published.event.object === 'message' && published.event.change === 'updated')
        growth.push(published);
    });
    h.model.script({ text: 'One. Two. Three. Four.', chunks: 4, chunkDelayMs: 60 });
    const created = await h.client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await expect
      .poll(
        async () =>
          textOf((await h.client.beta.threads.messages.list(thread.id, { run_id: created.id })).data[0]),
        { interval: 10 },
      )
      .toMatch(/^One\./);
    const midway = await h.client.beta.threads.runs.retrieve(created.id, { thread_id: thread.id });
    const partial = (await h.client.beta.threads.messages.list(thread.id, { run_id: created.id })).data[0]!;
    expect(midway.status).toBe('in_progress');
    expect(partial.status).toBe('in_progress');
    expect(textOf(partial)!.length).toBeLessThan('One. Two. Three. Four.'.length);

    const done = await h.client.beta.threads.runs.poll(created.id, { thread_id: thread.id }, poll);
    expect(done.status).toBe('completed');
    const deltas = growth.flatMap(({ event }) =>
      event.object === 'message' && event.textDelta ? [event.textDelta] : [],
    );
    expect(deltas.length).toBeGreaterThanOrEqual(3);
    expect(deltas.join('')).toBe('One. Two. Three. Four.');
    const lastGrowth = growth.findLast(
      ({ event }) => event.object === 'message' && event.textDelta !== undefined,
    )!;
    expect(lastGrowth.event.object === 'message' && lastGrowth.event.message.status).toBe('in_progress');
  });

  it('asks for tool outputs with the model call ids, sends them back as tool messages, then answers', async () => {
    const { assistant, thread } = await setUp([WEATHER_TOOL]);
    h.model.script(
      {
        toolCalls: [{ id: 'call_model_1', name: 'get_weather', arguments: { location: 'Paris' } }],
        usage: { prompt_tokens: 50, completion_tokens: 12 },
      },
      { text: 'It is 21 °C in Paris.', usage: { prompt_tokens: 80, completion_tokens: 9 } },
    );
    const waiting = await h.client.beta.threads.runs.createAndPoll(
      thread.id,
      { assistant_id: assistant.id },
      poll,
    );
    expect(waiting).toMatchObject({
      status: 'requires_action',
      usage: null,
      required_action: {
        type: 'submit_tool_outputs',
        submit_tool_outputs: {
          tool_calls: [
            {
              id: 'call_model_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"location":"Paris"}' },
            },
          ],
        },
      },
    });
    expect(h.model.requests[0]!.body).toMatchObject({
      tools: [WEATHER_TOOL],
      tool_choice: 'auto',
      parallel_tool_calls: true,
    });

    const done = await h.client.beta.threads.runs.submitToolOutputsAndPoll(
      waiting.id,
      {
        thread_id: thread.id,
        tool_outputs: [{ tool_call_id: 'call_model_1', output: '{"temperature_c":21}' }],
      },
      poll,
    );
    expect(done).toMatchObject({
      status: 'completed',
      usage: { prompt_tokens: 130, completion_tokens: 21, total_tokens: 151 },
    });
    expect(h.model.requests[1]!.body.messages.slice(1)).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_model_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"location":"Paris"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_model_1', content: '{"temperature_c":21}' },
    ]);
    const steps = await h.client.beta.threads.runs.steps.list(done.id, {
      thread_id: thread.id,
      order: 'asc',
    });
    expect(steps.data).toMatchObject([
      {
        type: 'tool_calls',
        status: 'completed',
        usage: { prompt_tokens: 50, completion_tokens: 12 },
        step_details: { tool_calls: [{ id: 'call_model_1', function: { output: '{"temperature_c":21}' } }] },
      },
      { type: 'message_creation', status: 'completed', usage: { prompt_tokens: 80, completion_tokens: 9 } },
    ]);
    expect((await h.execution(done.id)).model_calls.map((call) => [call.turn, call.outcome])).toEqual([
      [1, 'tool_calls'],
      [2, 'answered'],
    ]);

    // A later run of the same thread sends the earlier exchange in order.
    h.model.script({ text: 'Still 21 °C.' });
    await h.client.beta.threads.messages.create(thread.id, { role: 'user', content: 'And now?' });
    await h.client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id }, poll);
    expect(h.model.requests[2]!.body.messages.slice(1).map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'assistant',
      'user',
    ]);
  });

  it('asks for parallel tool calls at once', async () => {
    const { assistant, thread } = await setUp([WEATHER_TOOL]);
    h.model.script({
      toolCalls: [
        { id: 'call_p1', name: 'get_weather', arguments: { location: 'Paris' } },
        { id: 'call_p2', name: 'get_weather', arguments: { location: 'Rome' } },
      ],
    });
    const waiting = await h.client.beta.threads.runs.createAndPoll(
      thread.id,
      { assistant_id: assistant.id },
      poll,
    );
    expect(waiting.required_action!.submit_tool_outputs.tool_calls.map((call) => call.id)).toEqual([
      'call_p1',
      'call_p2',
    ]);
    const refused = await h.client.beta.threads.runs
      .submitToolOutputs(waiting.id, {
        thread_id: thread.id,
        tool_outputs: [{ tool_call_id: 'call_p1', output: 'x' }],
      })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 400 });
  });

  it('retries a 429 after its Retry-After, then answers', async () => {
    const { assistant, thread } = await setUp();
    h.model.script({ status: 429, retryAfterMs: 30, message: 'Rate limit reached' }, { text: 'Fine.' });
    const run = await h.client.beta.threads.runs.createAndPoll(
      thread.id,
      { assistant_id: assistant.id },
      poll,
    );
    expect(run.status).toBe('completed');
    expect((await h.execution(run.id)).model_calls).toMatchObject([
      { attempt: 1, outcome: 'rate_limited', http_status: 429, error: 'Rate limit reached' },
      { attempt: 2, outcome: 'answered' },
    ]);
  });

  it.each([
    [
      [{ status: 429, retryAfter: 0, message: 'Rate limit reached for gpt-4o' }],
      'rate_limit_exceeded',
      'Rate limit reached for gpt-4o',
    ],
    [[{ status: 500 }], 'server_error', 'Sorry, something went wrong.'],
    [[{ hang: true as const }], 'server_error', 'Sorry, something went wrong.'],
  ])('fails after bounded retries of %j with %s', async (replies, code, message) => {
    const harness = await startModelHarness({ idleTimeoutMs: 300 });
    const { assistant, thread } = await setUp([], harness);
    h.model.script(...replies, ...replies, ...replies);
    const run = await h.client.beta.threads.runs.createAndPoll(
      thread.id,
      { assistant_id: assistant.id },
      poll,
    );
    expect(run).toMatchObject({ status: 'failed', last_error: { code, message }, expires_at: null });
    expect(h.model.requests).toHaveLength(3);
  });

  it('fails invalid_prompt with the model message on a 400, without retrying', async () => {
    const { assistant, thread } = await setUp();
    h.model.script({ status: 400, message: "This model's maximum context length is 8192 tokens." });
    const run = await h.client.beta.threads.runs.createAndPoll(
      thread.id,
      { assistant_id: assistant.id },
      poll,
    );
    expect(run).toMatchObject({
      status: 'failed',
      last_error: { code: 'invalid_prompt', message: "This model's maximum context length is 8192 tokens." },
    });
    expect(h.model.requests).toHaveLength(1);
  });

  it('ends incomplete on finish_reason length (max_completion_tokens) and content_filter', async () => {
    const { assistant, thread } = await setUp();
    h.model.script({ text: 'A long answer that was cut', finishReason: 'length' });
    const cut = await h.client.beta.threads.runs.createAndPoll(
      thread.id,
      { assistant_id: assistant.id, max_completion_tokens: 300 },
      poll,
    );
    expect(cut).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_completion_tokens' },
    });
    expect(h.model.requests[0]!.body.max_completion_tokens).toBe(300);
    const [message] = (await h.client.beta.threads.messages.list(thread.id, { run_id: cut.id })).data;
    expect(message).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_tokens' } });

    h.model.script({ text: 'Filtered', finishReason: 'content_filter' });
    const filtered = await h.client.beta.threads.runs.createAndPoll(
      thread.id,
      { assistant_id: assistant.id },
      poll,
    );
    expect(filtered.status).toBe('incomplete');
    const [second] = (await h.client.beta.threads.messages.list(thread.id, { run_id: filtered.id })).data;
    expect(second).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'content_filter' } });
  });

  it('ends incomplete (max_prompt_tokens) without calling the model when the prompt cannot fit', async () => {
    const { assistant, thread } = await setUp();
    const run = await h.client.beta.threads.runs.createAndPoll(
      thread.id,
      {
        assistant_id: assistant.id,
        max_prompt_tokens: 256,
        additional_messages: [{ role: 'user', content: 'Every detail, please. '.repeat(60) }],
      },
      poll,
    );
    expect(run).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_prompt_tokens' } });
    expect(h.model.requests).toHaveLength(0);
  });

  it('cancel aborts the model call at once; the half-written message ends incomplete', async () => {
    const { assistant, thread } = await setUp();
    h.model.script({ text: 'Slowly, word, by, word, by, word', chunkDelayMs: 300 });
    const run = await h.client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await expect
      .poll(
        async () => (await h.client.beta.threads.messages.list(thread.id, { run_id: run.id })).data.length,
        { interval: 10 },
      )
      .toBe(1);
    await h.client.beta.threads.runs.cancel(run.id, { thread_id: thread.id });
    await expect.poll(() => h.model.inFlight(), { interval: 10 }).toBe(0);
    const cancelled = await h.client.beta.threads.runs.poll(run.id, { thread_id: thread.id }, poll);
    expect(cancelled.status).toBe('cancelled');
    const [message] = (await h.client.beta.threads.messages.list(thread.id, { run_id: run.id })).data;
    expect(message).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'run_cancelled' } });
    expect(textOf(message)).toMatch(/^Slowly/);
    expect((await h.execution(run.id)).model_calls).toMatchObject([{ outcome: 'aborted' }]);
  });

  it('expiry aborts the model call, and retries never wait past it', async () => {
    const { assistant, thread } = await setUp();
    h.model.script({ hang: true });
    const run = await h.client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await expect.poll(() => h.model.inFlight(), { interval: 10 }).toBe(1);
    await h.advance(600);
    await expect.poll(() => h.model.inFlight(), { interval: 10 }).toBe(0);
    expect(await h.client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id })).toMatchObject({
      status: 'expired',
    });

    h.model.script({ status: 429, retryAfter: 120 });
    const limited = await h.client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await h.advance(500);
    const failed = await h.client.beta.threads.runs.poll(limited.id, { thread_id: thread.id }, poll);
    expect(failed).toMatchObject({ status: 'failed', last_error: { code: 'rate_limit_exceeded' } });
    expect(h.model.requests).toHaveLength(2);
  });

  it('keeps at most RUNBOARD_MODEL_CONCURRENCY calls at once and queues the rest', async () => {
    h = await startModelHarness({ settings: { concurrency: 2 } });
    const { assistant } = await setUp([], h);
    h.model.fallback = () => ({ text: 'ok', delayMs: 80 });
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, h.model.inFlight())), 5);
    const runs = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const thread = await h.client.beta.threads.create({ messages: [{ role: 'user', content: 'hi' }] });
        return h.client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id }, poll);
      }),
    );
    clearInterval(sampler);
    expect(runs.map((run) => run.status)).toEqual(Array(6).fill('completed'));
    expect(peak).toBe(2);
  });

  it('refuses a tool_choice the model cannot run, and keeps scenario runs scripted', async () => {
    const { assistant, thread } = await setUp();
    const refused = await h.client.beta.threads.runs
      .create(thread.id, { assistant_id: assistant.id, tool_choice: { type: 'code_interpreter' } })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 400, param: 'tool_choice' });

    const scripted = await h.client.beta.threads.runs.createAndPoll(
      thread.id,
      { assistant_id: assistant.id, metadata: { runboard_scenario: 'fail_server_error' } },
      poll,
    );
    expect(scripted).toMatchObject({ status: 'failed', last_error: { code: 'server_error' } });
    expect(h.model.requests).toHaveLength(0);
    expect(await h.execution(scripted.id)).toMatchObject({
      executor: 'scripted',
      upstream_model: null,
      model_calls: [],
    });
  });

  it('never lets the key reach an answer or a log line, even when the upstream echoes it', async () => {
    const { assistant, thread } = await setUp();
    h.model.script({ status: 401, message: `Incorrect API key provided: ${TEST_MODEL_KEY}.` });
    const run = await h.client.beta.threads.runs.createAndPoll(
      thread.id,
      { assistant_id: assistant.id },
      poll,
    );
    expect(run).toMatchObject({ status: 'failed', last_error: { code: 'server_error' } });
    expect(run.last_error!.message).toContain('HTTP 401');
    const everything = JSON.stringify([run, await h.execution(run.id), h.logLines]);
    expect(everything).not.toContain(TEST_MODEL_KEY);
    expect(everything).not.toContain('0123456789abcdef');
    expect(h.logLines.some((line) => line.includes('Model call failed'))).toBe(true);
  });
});

describe('a thread deleted while its model run is in flight', () => {
  it('aborts the call and writes nothing more', async () => {
    const { assistant, thread } = await setUp();
    h.model.script({ text: 'A slow answer, word by word', chunkDelayMs: 200 });
    const run = await h.client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await expect
      .poll(
        async () => (await h.client.beta.threads.messages.list(thread.id, { run_id: run.id })).data.length,
        {
          interval: 10,
        },
      )
      .toBe(1);
    const after: string[] = [];
    h.emulator.events.subscribe(({ event }) => after.push(event.object));
    await h.client.beta.threads.delete(thread.id);
    // The call ends (the model sees its connection closed) well before the answer would have: the run's work
    // stopped; one turn of the event loop lets whatever the aborted call still had scheduled run.
    await expect.poll(() => h.model.inFlight(), { interval: 10, timeout: 500 }).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(after).toEqual(['thread']);
    expect(await h.execution(run.id).catch((error: Error) => error.message)).toMatch(/^execution: 404/);
  });
});

describe('runs executed by a model (SDK, stream: true)', () => {
  it('streams the model answer as thread.message.delta events while it grows', async () => {
    const { assistant, thread } = await setUp();
    h.model.script({ text: 'Sunny with a light breeze.', chunks: 3, chunkDelayMs: 60 });
    const stream = h.client.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id });
    const deltas: string[] = [];
    const events: string[] = [];
    stream.on('textDelta', (delta) => deltas.push(delta.value ?? ''));
    stream.on('event', ({ event }) => events.push(event));
    const run = await stream.finalRun();
    expect(run.status).toBe('completed');
    expect(deltas.join('')).toBe('Sunny with a light breeze.');
    expect(deltas.length).toBeGreaterThanOrEqual(2);
    expect(events.indexOf('thread.message.created')).toBeLessThan(events.indexOf('thread.message.delta'));
    expect(events.indexOf('thread.message.completed')).toBeLessThan(events.indexOf('thread.run.completed'));
  });

  it('streams requires_action with the model call, then the answer after submitToolOutputsStream', async () => {
    const { assistant, thread } = await setUp([WEATHER_TOOL]);
    h.model.script(
      { toolCalls: [{ id: 'call_stream_1', name: 'get_weather', arguments: { location: 'Oslo' } }] },
      { text: 'Cold: 2 °C.' },
    );
    const first = h.client.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id });
    const waiting = await first.finalRun();
    expect(waiting.status).toBe('requires_action');
    expect(waiting.required_action!.submit_tool_outputs.tool_calls[0]!.id).toBe('call_stream_1');
    const second = h.client.beta.threads.runs.submitToolOutputsStream(waiting.id, {
      thread_id: thread.id,
      tool_outputs: [{ tool_call_id: 'call_stream_1', output: '2' }],
    });
    const text: string[] = [];
    second.on('textDelta', (delta) => text.push(delta.value ?? ''));
    expect((await second.finalRun()).status).toBe('completed');
    expect(text.join('')).toBe('Cold: 2 °C.');
  });
});
