import { APIError } from 'openai';
import type { AssistantStream } from 'openai/lib/AssistantStream';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, ORDER_TOOL, WEATHER_TOOL, type Harness } from '../test-support/emulator-harness';

/** OpenAI's own SDK stream helpers against the emulator, as an application uses them. */
let harness: Harness;
afterEach(() => harness?.close());

async function setup() {
  harness = await createHarness();
  const assistant = await harness.client.beta.assistants.create({
    model: 'gpt-4o',
    name: 'Weather Desk',
    tools: [WEATHER_TOOL, ORDER_TOOL],
  });
  const thread = await harness.client.beta.threads.create({
    messages: [{ role: 'user', content: 'Will it rain in Porto tomorrow?' }],
  });
  return { assistantId: assistant.id, threadId: thread.id };
}

/** Emulator time stands still in the harness: once the stream is open, move it on so the run proceeds. */
async function advanceOnceConnected(stream: AssistantStream, seconds = 2): Promise<void> {
  await stream.emitted('connect');
  await harness.advance(seconds);
}

function record(stream: AssistantStream) {
  const seen = { events: [] as string[], textDeltas: [] as string[], textDone: [] as string[] };
  stream.on('event', (event) => seen.events.push(event.event));
  stream.on('textDelta', (delta) => seen.textDeltas.push(delta.value ?? ''));
  stream.on('textDone', (text) => seen.textDone.push(text.value));
  return seen;
}

describe("the openai SDK's stream helpers", () => {
  it('runs.stream: textDelta pieces add up to the final text; finalRun and finalMessages', async () => {
    const { assistantId, threadId } = await setup();
    const stream = harness.client.beta.threads.runs.stream(threadId, {
      assistant_id: assistantId,
      tool_choice: 'none',
    });
    const seen = record(stream);
    const runSteps: string[] = [];
    stream.on('runStepDone', (step) => runSteps.push(`${step.type}:${step.status}`));
    await advanceOnceConnected(stream);

    const run = await stream.finalRun();
    const messages = await stream.finalMessages();
    expect(run.status).toBe('completed');
    expect(run.usage?.total_tokens).toBeGreaterThan(0);
    expect(seen.textDeltas.length).toBeGreaterThan(2);
    expect(messages).toHaveLength(1);
    const content = messages[0]!.content[0]!;
    const text = content.type === 'text' ? content.text.value : '';
    expect(seen.textDeltas.join('')).toBe(text);
    expect(seen.textDone).toEqual([text]);
    expect(text).toContain('Will it rain in Porto tomorrow?');
    expect(runSteps).toEqual(['message_creation:completed']);
    expect(seen.events[0]).toBe('thread.run.created');

    const stored = await harness.client.beta.threads.messages.retrieve(messages[0]!.id, {
      thread_id: threadId,
    });
    expect(stored).toEqual(messages[0]);
  });

  it('toolCallCreated / toolCallDelta, requires_action, then submitToolOutputsStream to completion', async () => {
    const { assistantId, threadId } = await setup();
    const stream = harness.client.beta.threads.runs.stream(threadId, { assistant_id: assistantId });
    const created: Array<{ id: string; name: string }> = [];
    const argumentPieces = new Map<string, string[]>();
    stream.on('toolCallCreated', (call) => {
      if (call.type !== 'function') return;
      created.push({ id: call.id, name: call.function.name });
      argumentPieces.set(call.id, []);
    });
    stream.on('toolCallDelta', (delta, snapshot) => {
      if (delta.type === 'function' && snapshot.type === 'function') {
        argumentPieces.get(snapshot.id)!.push(delta.function?.arguments ?? '');
      }
    });
    await advanceOnceConnected(stream);

    const waiting = await stream.finalRun();
    expect(waiting.status).toBe('requires_action');
    const calls = waiting.required_action!.submit_tool_outputs.tool_calls;
    expect(created).toEqual(calls.map((call) => ({ id: call.id, name: call.function.name })));
    for (const call of calls) {
      expect(argumentPieces.get(call.id)!.length).toBeGreaterThan(0);
      expect(argumentPieces.get(call.id)!.join('')).toBe(call.function.arguments);
    }
    const [step] = await stream.finalRunSteps();
    expect(
      step!.step_details.type === 'tool_calls' && step!.step_details.tool_calls.map((c) => c.id),
    ).toEqual(calls.map((call) => call.id));

    const answer = harness.client.beta.threads.runs.submitToolOutputsStream(waiting.id, {
      thread_id: threadId,
      tool_outputs: calls.map((call) => ({
        tool_call_id: call.id,
        output: `result of ${call.function.name}`,
      })),
    });
    const seen = record(answer);
    await advanceOnceConnected(answer);
    const done = await answer.finalRun();
    expect(done.status).toBe('completed');
    const text = seen.textDeltas.join('');
    expect(text).toContain('result of get_weather');
    expect(text).toContain('result of lookup_order');
    const [message] = await answer.finalMessages();
    expect(message!.content[0]).toMatchObject({ type: 'text', text: { value: text } });
  });

  it('threads.createAndRunStream: thread.created first, then the run to completion', async () => {
    const { assistantId } = await setup();
    const stream = harness.client.beta.threads.createAndRunStream({
      assistant_id: assistantId,
      tool_choice: 'none',
      thread: { messages: [{ role: 'user', content: 'Hi from createAndRunStream' }] },
    });
    const seen = record(stream);
    await advanceOnceConnected(stream);
    const run = await stream.finalRun();
    expect(run.status).toBe('completed');
    expect(seen.events.slice(0, 3)).toEqual(['thread.created', 'thread.run.created', 'thread.run.queued']);
    expect(seen.textDeltas.join('')).toContain('Hi from createAndRunStream');
    const listed = await harness.client.beta.threads.runs.list(run.thread_id);
    expect(listed.data.map((r) => r.id)).toEqual([run.id]);
  });

  it('a failed run is the final run; a cancelled one too', async () => {
    const { assistantId, threadId } = await setup();
    const failing = harness.client.beta.threads.runs.stream(threadId, {
      assistant_id: assistantId,
      metadata: { runboard_scenario: 'fail_rate_limit_exceeded' },
    });
    await advanceOnceConnected(failing);
    const failed = await failing.finalRun();
    expect(failed.status).toBe('failed');
    expect(failed.last_error?.code).toBe('rate_limit_exceeded');

    const slow = harness.client.beta.threads.runs.stream(threadId, {
      assistant_id: assistantId,
      metadata: { runboard_scenario: 'slow' },
    });
    await advanceOnceConnected(slow, 1);
    const runId = slow.currentRun()!.id;
    await harness.client.beta.threads.runs.cancel(runId, { thread_id: threadId });
    await harness.advance(1);
    expect((await slow.finalRun()).status).toBe('cancelled');
  });

  it('runs.create with stream: true yields the raw events, ending at the final run', async () => {
    const { assistantId, threadId } = await setup();
    const events = await harness.client.beta.threads.runs.create(threadId, {
      assistant_id: assistantId,
      tool_choice: 'none',
      stream: true,
    });
    await harness.advance(2);
    const names: string[] = [];
    for await (const event of events) names.push(event.event);
    expect(names[0]).toBe('thread.run.created');
    expect(names.at(-1)).toBe('thread.run.completed');
  });

  it('an error event mid-stream rejects with an APIError', async () => {
    const { assistantId, threadId } = await setup();
    const stream = harness.client.beta.threads.runs.stream(threadId, { assistant_id: assistantId });
    await stream.emitted('connect');
    await harness.close();
    const error = await stream.finalRun().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ type: 'server_error', message: 'The Runboard emulator is shutting down.' });
  });
});
