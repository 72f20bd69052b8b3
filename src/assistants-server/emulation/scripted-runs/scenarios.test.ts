import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type OpenAI from 'openai';
import { createHarness, WEATHER_TOOL, type Harness } from '../../test-support/emulator-harness';

let harness: Harness;
let client: OpenAI;
beforeEach(async () => {
  harness = await createHarness();
  client = harness.client;
});
afterEach(() => harness.close());

async function runWith(
  scenario: string,
  options: { tools?: OpenAI.Beta.AssistantTool[]; onAssistant?: boolean } = {},
) {
  const assistant = await client.beta.assistants.create({
    model: 'gpt-4o',
    tools: options.tools ?? [],
    metadata: options.onAssistant ? { runboard_scenario: scenario } : {},
  });
  const thread = await client.beta.threads.create({ messages: [{ role: 'user', content: 'Go' }] });
  const run = await client.beta.threads.runs.create(thread.id, {
    assistant_id: assistant.id,
    metadata: options.onAssistant ? {} : { runboard_scenario: scenario },
  });
  return { thread, run, get: () => client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id }) };
}

describe('scenario triggers (metadata runboard_scenario)', () => {
  it.each([
    ['fail_server_error', 'server_error'],
    ['fail_rate_limit_exceeded', 'rate_limit_exceeded'],
    ['fail_invalid_prompt', 'invalid_prompt'],
  ] as const)('%s ends failed with last_error.code %s', async (scenario, code) => {
    const { get } = await runWith(scenario, { tools: [WEATHER_TOOL] });
    await harness.advance(2);
    const run = await get();
    expect(run).toMatchObject({
      status: 'failed',
      last_error: { code, message: expect.any(String) },
      expires_at: null,
    });
    expect(run.failed_at!).toBeGreaterThanOrEqual(run.started_at!);
    expect(run.usage!.total_tokens).toBe(run.usage!.prompt_tokens + run.usage!.completion_tokens);
  });

  it.each([
    ['incomplete_max_completion_tokens', 'max_completion_tokens'],
    ['incomplete_max_prompt_tokens', 'max_prompt_tokens'],
  ] as const)('%s ends incomplete with reason %s', async (scenario, reason) => {
    const { get } = await runWith(scenario);
    await harness.advance(2);
    expect(await get()).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason },
      usage: expect.any(Object),
    });
  });

  it('expire stays in_progress until expires_at, then expires', async () => {
    const { get, run } = await runWith('expire');
    await harness.advance(599);
    expect((await get()).status).toBe('in_progress');
    await harness.advance(1);
    expect(await get()).toMatchObject({ status: 'expired', expires_at: run.created_at + 600 });
  });

  it('slow stays in_progress for about a minute, long enough to cancel', async () => {
    const { get, thread, run } = await runWith('slow');
    await harness.advance(30);
    expect((await get()).status).toBe('in_progress');
    await client.beta.threads.runs.cancel(run.id, { thread_id: thread.id });
    await harness.advance(1);
    expect((await get()).status).toBe('cancelled');

    const second = await runWith('slow');
    await harness.advance(62);
    expect((await second.get()).status).toBe('completed');
  });

  it('cancel_stuck stays cancelling for about 30 seconds', async () => {
    const { get, thread, run } = await runWith('cancel_stuck');
    await client.beta.threads.runs.cancel(run.id, { thread_id: thread.id });
    await harness.advance(20);
    expect((await get()).status).toBe('cancelling');
    await harness.advance(10);
    expect((await get()).status).toBe('cancelled');
  });

  it("applies the assistant's scenario to every run of it", async () => {
    const { get } = await runWith('fail_server_error', { onAssistant: true });
    await harness.advance(2);
    expect((await get()).status).toBe('failed');
  });
});
