import { afterEach, describe, expect, it } from 'vitest';
import type { Message, MessageDelta, Run, RunStep, RunStepDelta } from '../../shared/openai-types';
import { createHarness, WEATHER_TOOL, type Harness } from '../test-support/emulator-harness';
import { eventOutline, readSse, type SseFrame } from '../test-support/sse-reader';

/** `stream: true` read off the wire, as any SSE client reads it: names, order, payloads, timing. */
let harness: Harness;
afterEach(() => harness?.close());

const post = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

async function setup(options: Parameters<typeof createHarness>[0] = {}) {
  harness = await createHarness(options);
  const assistant = await harness.client.beta.assistants.create({ model: 'gpt-4o', name: 'Streamer' });
  const thread = await harness.client.beta.threads.create({
    messages: [{ role: 'user', content: 'What is the weather in Lisbon today?' }],
  });
  return { assistantId: assistant.id, threadId: thread.id };
}

async function openStream(path: string, body: unknown) {
  const response = await harness.app.request(path, post(body));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  return readSse(response);
}

const REPLY = [
  'thread.run.step.created',
  'thread.run.step.in_progress',
  'thread.message.created',
  'thread.message.in_progress',
  'thread.message.delta…',
  'thread.message.completed',
  'thread.run.step.completed',
];

function deltaText(frames: SseFrame[]): string {
  return frames
    .filter((frame) => frame.event === 'thread.message.delta')
    .map((frame) => (frame.data as MessageDelta).delta.content.map((part) => part.text.value).join(''))
    .join('');
}

const dataOf = <T>(frames: SseFrame[], event: string) =>
  frames.filter((frame) => frame.event === event).map((frame) => frame.data as T);

describe('stream: true on the wire', () => {
  it('a run without tools: OpenAI’s events in OpenAI’s order, the reply in several deltas, then done', async () => {
    const { assistantId, threadId } = await setup();
    const stream = await openStream(`/v1/threads/${threadId}/runs`, {
      assistant_id: assistantId,
      stream: true,
    });
    await harness.advance(1);
    await harness.advance(1);
    const frames = await stream.ended;

    expect(eventOutline(frames)).toEqual([
      'thread.run.created',
      'thread.run.queued',
      'thread.run.in_progress',
      ...REPLY,
      'thread.run.completed',
      'done',
    ]);
    expect(frames.at(-1)).toEqual({ event: 'done', data: '[DONE]', raw: '[DONE]' });
    expect(dataOf(frames, 'thread.message.delta').length).toBeGreaterThan(2);

    const [message] = (await harness.client.beta.threads.messages.list(threadId, { limit: 1 })).data;
    const stored = message!.content[0]!.type === 'text' ? message!.content[0]!.text.value : '';
    expect(deltaText(frames)).toBe(stored);
    const created = dataOf<Message>(frames, 'thread.message.created')[0]!;
    expect(created).toMatchObject({ id: message!.id, status: 'in_progress', content: [] });
    expect(dataOf<Message>(frames, 'thread.message.completed')[0]).toMatchObject({
      id: message!.id,
      status: 'completed',
    });
    const finalRun = dataOf<Run>(frames, 'thread.run.completed')[0]!;
    expect(finalRun).toEqual(
      await harness.client.beta.threads.runs.retrieve(finalRun.id, { thread_id: threadId }),
    );
  });

  it('follows the lifecycle’s timing, time scale included: nothing moves until emulator time does', async () => {
    const { assistantId, threadId } = await setup({ timeScale: 10 });
    const stream = await openStream(`/v1/threads/${threadId}/runs`, {
      assistant_id: assistantId,
      stream: true,
    });
    await Promise.resolve();
    expect(eventOutline(stream.frames)).toEqual(['thread.run.created', 'thread.run.queued']);
    await harness.advance(0.1);
    await Promise.resolve();
    expect(eventOutline(stream.frames).at(-1)).toBe('thread.run.in_progress');
    await harness.advance(0.1);
    expect(eventOutline(await stream.ended).slice(-2)).toEqual(['thread.run.completed', 'done']);
  });

  it('create thread and run starts with thread.created', async () => {
    const { assistantId } = await setup();
    const stream = await openStream('/v1/threads/runs', {
      assistant_id: assistantId,
      thread: { messages: [{ role: 'user', content: 'Hello there' }] },
      stream: true,
    });
    await harness.advance(2);
    const frames = await stream.ended;
    expect(eventOutline(frames)).toEqual([
      'thread.created',
      'thread.run.created',
      'thread.run.queued',
      'thread.run.in_progress',
      ...REPLY,
      'thread.run.completed',
      'done',
    ]);
    const thread = frames[0]!.data as { id: string };
    expect((frames[1]!.data as Run).thread_id).toBe(thread.id);
    expect(deltaText(frames)).toContain('Hello there');
  });

  it('tools, then outputs: step deltas carry each call, the stream stops at requires_action; submit continues', async () => {
    const { assistantId, threadId } = await setup();
    const first = await openStream(`/v1/threads/${threadId}/runs`, {
      assistant_id: assistantId,
      tools: [WEATHER_TOOL],
      stream: true,
    });
    await harness.advance(2);
    const asked = await first.ended;
    expect(eventOutline(asked)).toEqual([
      'thread.run.created',
      'thread.run.queued',
      'thread.run.in_progress',
      'thread.run.step.created',
      'thread.run.step.in_progress',
      'thread.run.step.delta…',
      'thread.run.requires_action',
      'done',
    ]);
    const created = dataOf<RunStep>(asked, 'thread.run.step.created')[0]!;
    expect(created.step_details).toEqual({ type: 'tool_calls', tool_calls: [] });
    const deltas = dataOf<RunStepDelta>(asked, 'thread.run.step.delta');
    expect(deltas.length).toBeGreaterThan(1);
    const run = dataOf<Run>(asked, 'thread.run.requires_action')[0]!;
    const call = run.required_action!.submit_tool_outputs.tool_calls[0]!;
    const firstCall = deltas[0]!.delta.step_details.tool_calls[0]!;
    expect(firstCall).toEqual({
      index: 0,
      id: call.id,
      type: 'function',
      function: { name: 'get_weather', arguments: '', output: null },
    });
    const joined = deltas
      .flatMap((delta) => delta.delta.step_details.tool_calls)
      .map((piece) => (piece.type === 'function' ? (piece.function.arguments ?? '') : ''))
      .join('');
    expect(joined).toBe(call.function.arguments);
    expect(deltas.every((delta) => delta.id === created.id && !('id' in delta.delta))).toBe(true);

    const second = await openStream(`/v1/threads/${threadId}/runs/${run.id}/submit_tool_outputs`, {
      tool_outputs: [{ tool_call_id: call.id, output: '21 °C and sunny' }],
      stream: true,
    });
    await harness.advance(2);
    const answered = await second.ended;
    expect(eventOutline(answered)).toEqual([
      'thread.run.step.completed',
      'thread.run.queued',
      'thread.run.in_progress',
      ...REPLY,
      'thread.run.completed',
      'done',
    ]);
    const toolStep = answered[0]!.data as RunStep;
    expect(toolStep.id).toBe(created.id);
    expect(
      toolStep.step_details.type === 'tool_calls' &&
        toolStep.step_details.tool_calls[0]!.type === 'function' &&
        toolStep.step_details.tool_calls[0]!.function.output,
    ).toBe('21 °C and sunny');
    expect(deltaText(answered)).toContain('21 °C and sunny');
  });

  it.each([
    ['fail_server_error', 'server_error'],
    ['fail_rate_limit_exceeded', 'rate_limit_exceeded'],
    ['fail_invalid_prompt', 'invalid_prompt'],
  ])('scenario %s ends the stream with thread.run.failed (%s)', async (scenario, code) => {
    const { assistantId, threadId } = await setup();
    const stream = await openStream(`/v1/threads/${threadId}/runs`, {
      assistant_id: assistantId,
      metadata: { runboard_scenario: scenario },
      stream: true,
    });
    await harness.advance(2);
    const frames = await stream.ended;
    expect(eventOutline(frames)).toEqual([
      'thread.run.created',
      'thread.run.queued',
      'thread.run.in_progress',
      'thread.run.failed',
      'done',
    ]);
    expect(dataOf<Run>(frames, 'thread.run.failed')[0]!.last_error?.code).toBe(code);
  });

  it('incomplete_max_completion_tokens: the cut-off message ends thread.message.incomplete, then the run incomplete', async () => {
    const { assistantId, threadId } = await setup();
    const stream = await openStream(`/v1/threads/${threadId}/runs`, {
      assistant_id: assistantId,
      metadata: { runboard_scenario: 'incomplete_max_completion_tokens' },
      stream: true,
    });
    await harness.advance(2);
    const frames = await stream.ended;
    expect(eventOutline(frames)).toEqual([
      'thread.run.created',
      'thread.run.queued',
      'thread.run.in_progress',
      'thread.run.step.created',
      'thread.run.step.in_progress',
      'thread.message.created',
      'thread.message.in_progress',
      'thread.message.delta…',
      'thread.message.incomplete',
      'thread.run.step.completed',
      'thread.run.incomplete',
      'done',
    ]);
    expect(dataOf<Run>(frames, 'thread.run.incomplete')[0]!.incomplete_details).toEqual({
      reason: 'max_completion_tokens',
    });
  });

  it('incomplete_max_prompt_tokens: no message, the run incomplete', async () => {
    const { assistantId, threadId } = await setup();
    const stream = await openStream(`/v1/threads/${threadId}/runs`, {
      assistant_id: assistantId,
      metadata: { runboard_scenario: 'incomplete_max_prompt_tokens' },
      stream: true,
    });
    await harness.advance(2);
    expect(eventOutline(await stream.ended)).toEqual([
      'thread.run.created',
      'thread.run.queued',
      'thread.run.in_progress',
      'thread.run.incomplete',
      'done',
    ]);
  });

  it('a cancel from elsewhere shows in the stream: cancelling, then cancelled', async () => {
    const { assistantId, threadId } = await setup();
    const stream = await openStream(`/v1/threads/${threadId}/runs`, {
      assistant_id: assistantId,
      metadata: { runboard_scenario: 'slow' },
      stream: true,
    });
    await harness.advance(1);
    const runId = (stream.frames[0]!.data as Run).id;
    await harness.client.beta.threads.runs.cancel(runId, { thread_id: threadId });
    await Promise.resolve();
    expect(eventOutline(stream.frames).at(-1)).toBe('thread.run.cancelling');
    await harness.advance(1);
    const frames = await stream.ended;
    expect(eventOutline(frames)).toEqual([
      'thread.run.created',
      'thread.run.queued',
      'thread.run.in_progress',
      'thread.run.cancelling',
      'thread.run.cancelled',
      'done',
    ]);
    expect(dataOf<Run>(frames, 'thread.run.cancelled')[0]!.cancelled_at).not.toBeNull();
  });

  it('expire: the run stays in_progress until expires_at, then thread.run.expired', async () => {
    const { assistantId, threadId } = await setup();
    const stream = await openStream(`/v1/threads/${threadId}/runs`, {
      assistant_id: assistantId,
      metadata: { runboard_scenario: 'expire' },
      stream: true,
    });
    await harness.advance(300);
    expect(eventOutline(stream.frames).at(-1)).toBe('thread.run.in_progress');
    await harness.advance(300);
    const frames = await stream.ended;
    expect(eventOutline(frames).slice(-3)).toEqual(['thread.run.in_progress', 'thread.run.expired', 'done']);
  });

  it('an error mid-stream: the emulator closing ends open streams with event: error, then done', async () => {
    const { assistantId, threadId } = await setup();
    const stream = await openStream(`/v1/threads/${threadId}/runs`, {
      assistant_id: assistantId,
      stream: true,
    });
    await harness.close();
    const frames = await stream.ended;
    expect(eventOutline(frames)).toEqual(['thread.run.created', 'thread.run.queued', 'error', 'done']);
    expect(frames[2]!.data).toEqual({
      message: 'The Runboard emulator is shutting down.',
      type: 'server_error',
      param: null,
      code: null,
    });
  });

  it('the thread deleted mid-stream: event: error, then done', async () => {
    const { assistantId, threadId } = await setup();
    const stream = await openStream(`/v1/threads/${threadId}/runs`, {
      assistant_id: assistantId,
      metadata: { runboard_scenario: 'slow' },
      stream: true,
    });
    await harness.advance(1);
    await harness.client.beta.threads.delete(threadId);
    const frames = await stream.ended;
    expect(eventOutline(frames)).toEqual([
      'thread.run.created',
      'thread.run.queued',
      'thread.run.in_progress',
      'error',
      'done',
    ]);
    expect(frames[3]!.data).toMatchObject({ message: `The thread ${threadId} was deleted.` });
  });

  it('a client that disconnects does not stop the run, and its stream leaves the seam', async () => {
    const { assistantId, threadId } = await setup();
    const listenersBefore = harness.emulator.events.listenerCount();
    const stream = await openStream(`/v1/threads/${threadId}/runs`, {
      assistant_id: assistantId,
      stream: true,
    });
    expect(harness.emulator.events.listenerCount()).toBe(listenersBefore + 1);
    await harness.advance(1);
    await stream.disconnect();
    expect(harness.emulator.events.listenerCount()).toBe(listenersBefore);
    await harness.advance(1);
    const runId = (stream.frames[0]!.data as Run).id;
    const run = await harness.client.beta.threads.runs.retrieve(runId, { thread_id: threadId });
    expect(run.status).toBe('completed');
  });

  it('a stream that ends leaves the seam too', async () => {
    const { assistantId, threadId } = await setup();
    const listenersBefore = harness.emulator.events.listenerCount();
    const stream = await openStream(`/v1/threads/${threadId}/runs`, {
      assistant_id: assistantId,
      stream: true,
    });
    await harness.advance(2);
    await stream.ended;
    expect(harness.emulator.events.listenerCount()).toBe(listenersBefore);
  });

  it('a refusal comes before any stream: plain JSON error, nothing subscribed', async () => {
    const { threadId } = await setup();
    const listenersBefore = harness.emulator.events.listenerCount();
    const response = await harness.app.request(
      `/v1/threads/${threadId}/runs`,
      post({ assistant_id: 'asst_abcdefghijklmnopqrstuvwx', stream: true }),
    );
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/json/);
    expect(harness.emulator.events.listenerCount()).toBe(listenersBefore);
  });
});
