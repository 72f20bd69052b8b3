import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../shared/openai-types';
import { createHarness, WEATHER_TOOL, type Harness } from '../test-support/emulator-harness';
import { loadContract, SPEC_AVAILABLE, type Contract } from '../test-support/openapi-contract';
import { readSse, type SseFrame } from '../test-support/sse-reader';

/** The object schema each event's `data` must match, by event name. */
function schemaFor(event: string): string {
  if (event === 'thread.created') return 'ThreadObject';
  if (event === 'thread.run.step.delta') return 'RunStepDeltaObject';
  if (event.startsWith('thread.run.step.')) return 'RunStepObject';
  if (event.startsWith('thread.run.')) return 'RunObject';
  if (event === 'thread.message.delta') return 'MessageDeltaObject';
  if (event.startsWith('thread.message.')) return 'MessageObject';
  if (event === 'error') return 'Error';
  throw new Error(`no schema for event ${event}`);
}

/** Skipped, with the reason printed once (spec-notice.ts), when the spec is absent. */
describe.skipIf(!SPEC_AVAILABLE)('every streamed event matches openai-openapi.yaml', () => {
  let contract: Contract;
  let harness: Harness;
  let assistantId: string;
  const frames: SseFrame[] = [];

  beforeAll(async () => {
    contract = loadContract();
    harness = await createHarness();
    assistantId = (await harness.client.beta.assistants.create({ model: 'gpt-4o', name: 'Contract' })).id;
  });
  afterAll(() => harness.close());

  async function streamed(path: string, body: Record<string, unknown>, advanceSeconds = 2) {
    const response = await harness.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, stream: true }),
    });
    const reading = readSse(response);
    await harness.advance(advanceSeconds);
    const read = await reading.ended;
    frames.push(...read);
    return read;
  }

  async function newThread() {
    return (await harness.client.beta.threads.create({ messages: [{ role: 'user', content: 'Hello' }] })).id;
  }

  it('collects every path: no tools, tools then outputs, thread and run, scenarios, cancel, expiry, error', async () => {
    await streamed(`/v1/threads/${await newThread()}/runs`, { assistant_id: assistantId });
    await streamed('/v1/threads/runs', { assistant_id: assistantId, thread: {} });

    const toolThread = await newThread();
    const asked = await streamed(`/v1/threads/${toolThread}/runs`, {
      assistant_id: assistantId,
      tools: [WEATHER_TOOL],
    });
    const waiting = asked.find((frame) => frame.event === 'thread.run.requires_action')!.data as Run;
    await streamed(`/v1/threads/${toolThread}/runs/${waiting.id}/submit_tool_outputs`, {
      tool_outputs: waiting.required_action!.submit_tool_outputs.tool_calls.map((call) => ({
        tool_call_id: call.id,
        output: 'sunny',
      })),
    });

    for (const scenario of [
      'fail_server_error',
      'incomplete_max_completion_tokens',
      'incomplete_max_prompt_tokens',
    ]) {
      await streamed(`/v1/threads/${await newThread()}/runs`, {
        assistant_id: assistantId,
        metadata: { runboard_scenario: scenario },
      });
    }
    await streamed(
      `/v1/threads/${await newThread()}/runs`,
      { assistant_id: assistantId, metadata: { runboard_scenario: 'expire' } },
      601,
    );

    const slowThread = await newThread();
    const slow = readSse(
      await harness.app.request(`/v1/threads/${slowThread}/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          assistant_id: assistantId,
          stream: true,
          metadata: { runboard_scenario: 'slow' },
        }),
      }),
    );
    await harness.advance(1);
    const runId = (slow.frames[0]!.data as Run).id;
    await harness.client.beta.threads.runs.cancel(runId, { thread_id: slowThread });
    await harness.advance(1);
    frames.push(...(await slow.ended));

    const closing = readSse(
      await harness.app.request(`/v1/threads/${await newThread()}/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ assistant_id: assistantId, stream: true }),
      }),
    );
    await harness.close();
    frames.push(...(await closing.ended));

    const names = new Set(frames.map((frame) => frame.event));
    for (const expected of [
      'thread.created',
      'thread.run.created',
      'thread.run.queued',
      'thread.run.in_progress',
      'thread.run.requires_action',
      'thread.run.completed',
      'thread.run.incomplete',
      'thread.run.failed',
      'thread.run.cancelling',
      'thread.run.cancelled',
      'thread.run.expired',
      'thread.run.step.created',
      'thread.run.step.in_progress',
      'thread.run.step.delta',
      'thread.run.step.completed',
      'thread.message.created',
      'thread.message.in_progress',
      'thread.message.delta',
      'thread.message.completed',
      'thread.message.incomplete',
      'error',
      'done',
    ]) {
      expect(names, expected).toContain(expected);
    }
  });

  it('each frame is an AssistantStreamEvent, and its data the object its name promises', () => {
    expect(frames.length).toBeGreaterThan(50);
    for (const frame of frames) {
      expect(frame.event).not.toBeNull();
      contract.assertMatches('AssistantStreamEvent', { event: frame.event, data: frame.data });
      if (frame.event !== 'done') contract.assertMatches(schemaFor(frame.event!), frame.data);
    }
  });

  it('the validator itself rejects a delta that breaks the schema', () => {
    expect(() =>
      contract.assertMatches('MessageDeltaObject', {
        id: 'msg_x',
        object: 'thread.message.delta',
        delta: { content: [{ type: 'text', text: { value: 'no index' } }] },
      }),
    ).toThrow(/MessageDeltaObject mismatch/);
    expect(() =>
      contract.assertMatches('AssistantStreamEvent', { event: 'thread.run.finished', data: {} }),
    ).toThrow(/AssistantStreamEvent mismatch/);
  });
});
