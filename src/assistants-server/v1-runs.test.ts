import { Ajv } from 'ajv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type OpenAI from 'openai';
import { createHarness, ORDER_TOOL, WEATHER_TOOL, type Harness } from './test-support/emulator-harness';

let harness: Harness;
let client: OpenAI;

beforeEach(async () => {
  harness = await createHarness();
  client = harness.client;
});
afterEach(() => harness.close());

async function setup(tools: OpenAI.Beta.AssistantTool[] = [], metadata: Record<string, string> = {}) {
  const assistant = await client.beta.assistants.create({
    model: 'gpt-4o',
    name: 'Helper',
    instructions: 'Be brief.',
    tools,
    metadata,
  });
  const thread = await client.beta.threads.create({
    messages: [{ role: 'user', content: 'Where is my order?' }],
  });
  return { assistant, thread };
}

const retrieve = (threadId: string, runId: string) =>
  client.beta.threads.runs.retrieve(runId, { thread_id: threadId });

describe('runs through the openai SDK', () => {
  it('creates a queued run with the assistant defaults and a ten-minute expiry', async () => {
    const { assistant, thread } = await setup();
    const { data: run, response } = await client.beta.threads.runs
      .create(thread.id, { assistant_id: assistant.id, metadata: { customer: 'acme' } })
      .withResponse();
    expect(run).toMatchObject({
      object: 'thread.run',
      thread_id: thread.id,
      assistant_id: assistant.id,
      status: 'queued',
      model: 'gpt-4o',
      instructions: 'Be brief.',
      metadata: { customer: 'acme' },
      usage: null,
      started_at: null,
      parallel_tool_calls: true,
      tool_choice: 'auto',
      response_format: 'auto',
    });
    expect(run.id).toMatch(/^run_[A-Za-z0-9]{24}$/);
    expect(run.expires_at).toBe(run.created_at + 600);
    expect(Number(response.headers.get('openai-poll-after-ms'))).toBeGreaterThan(0);
  });

  it('applies overrides, additional instructions and additional messages', async () => {
    const { assistant, thread } = await setup();
    const run = await client.beta.threads.runs.create(thread.id, {
      assistant_id: assistant.id,
      model: 'gpt-4o-mini',
      additional_instructions: 'Answer in French.',
      additional_messages: [{ role: 'user', content: 'Also, the invoice?' }],
      temperature: 0.2,
      top_p: 0.9,
      max_completion_tokens: 512,
    });
    expect(run).toMatchObject({
      model: 'gpt-4o-mini',
      instructions: 'Be brief.\n\nAnswer in French.',
      temperature: 0.2,
      top_p: 0.9,
      max_completion_tokens: 512,
    });
    const messages = await client.beta.threads.messages.list(thread.id, { order: 'asc' });
    expect(messages.data.map((message) => message.content[0])).toEqual([
      { type: 'text', text: { value: 'Where is my order?', annotations: [] } },
      { type: 'text', text: { value: 'Also, the invoice?', annotations: [] } },
    ]);
  });

  it('moves queued → in_progress → completed, with ordered timestamps, usage and a message', async () => {
    const { assistant, thread } = await setup();
    const created = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await harness.advance(1);
    const started = await retrieve(thread.id, created.id);
    expect(started.status).toBe('in_progress');
    expect(started.usage).toBeNull();
    await harness.advance(1);
    const { data: done, response } = await client.beta.threads.runs
      .retrieve(created.id, { thread_id: thread.id })
      .withResponse();
    expect(done.status).toBe('completed');
    expect(response.headers.get('openai-poll-after-ms')).toBeNull();
    expect(done.started_at!).toBeGreaterThanOrEqual(done.created_at);
    expect(done.completed_at!).toBeGreaterThanOrEqual(done.started_at!);
    expect(done.expires_at).toBeNull();
    expect(done.usage!.prompt_tokens).toBeGreaterThan(0);
    expect(done.usage!.total_tokens).toBe(done.usage!.prompt_tokens + done.usage!.completion_tokens);

    const messages = await client.beta.threads.messages.list(thread.id, { run_id: done.id });
    expect(messages.data).toHaveLength(1);
    expect(messages.data[0]).toMatchObject({
      role: 'assistant',
      run_id: done.id,
      assistant_id: assistant.id,
    });
    const steps = await client.beta.threads.runs.steps.list(done.id, { thread_id: thread.id });
    expect(steps.data).toHaveLength(1);
    expect(steps.data[0]!.step_details).toEqual({
      type: 'message_creation',
      message_creation: { message_id: messages.data[0]!.id },
    });
  });

  it('stops in requires_action with one call per function tool, arguments valid for each schema', async () => {
    const { assistant, thread } = await setup([WEATHER_TOOL, ORDER_TOOL, { type: 'file_search' }]);
    const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await harness.advance(2);
    const waiting = await retrieve(thread.id, run.id);
    expect(waiting.status).toBe('requires_action');
    expect(waiting.usage).toBeNull();
    const calls = waiting.required_action!.submit_tool_outputs.tool_calls;
    expect(calls.map((call) => call.function.name)).toEqual(['get_weather', 'lookup_order']);
    const ajv = new Ajv();
    for (const call of calls) {
      expect(call.id).toMatch(/^call_[A-Za-z0-9]{24}$/);
      const schema = [WEATHER_TOOL, ORDER_TOOL].find((tool) => tool.function.name === call.function.name)!
        .function.parameters;
      const validate = ajv.compile(schema);
      expect(validate(JSON.parse(call.function.arguments)), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('asks for the first call only without parallel tool calls, and the named one with tool_choice', async () => {
    const { assistant, thread } = await setup([WEATHER_TOOL, ORDER_TOOL]);
    const single = await client.beta.threads.runs.create(thread.id, {
      assistant_id: assistant.id,
      parallel_tool_calls: false,
    });
    await harness.advance(2);
    const first = await retrieve(thread.id, single.id);
    expect(first.required_action!.submit_tool_outputs.tool_calls.map((call) => call.function.name)).toEqual([
      'get_weather',
    ]);
    await client.beta.threads.runs.cancel(single.id, { thread_id: thread.id });
    await harness.advance(1);

    const named = await client.beta.threads.runs.create(thread.id, {
      assistant_id: assistant.id,
      tool_choice: { type: 'function', function: { name: 'lookup_order' } },
    });
    await harness.advance(2);
    const second = await retrieve(thread.id, named.id);
    expect(second.required_action!.submit_tool_outputs.tool_calls.map((call) => call.function.name)).toEqual([
      'lookup_order',
    ]);
  });

  it('answers directly when tool_choice is none', async () => {
    const { assistant, thread } = await setup([WEATHER_TOOL]);
    const run = await client.beta.threads.runs.create(thread.id, {
      assistant_id: assistant.id,
      tool_choice: 'none',
    });
    await harness.advance(2);
    expect((await retrieve(thread.id, run.id)).status).toBe('completed');
  });

  it('takes submitted outputs back to queued, then completes with steps recording the calls and outputs', async () => {
    const { assistant, thread } = await setup([WEATHER_TOOL, ORDER_TOOL]);
    const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await harness.advance(2);
    const waiting = await retrieve(thread.id, run.id);
    const calls = waiting.required_action!.submit_tool_outputs.tool_calls;
    const outputs = calls.map((call, index) => ({
      tool_call_id: call.id,
      output: `{"answer":${index + 40}}`,
    }));
    const submitted = await client.beta.threads.runs.submitToolOutputs(run.id, {
      thread_id: thread.id,
      tool_outputs: outputs,
    });
    expect(submitted.status).toBe('queued');
    expect(submitted.required_action).toBeNull();
    await harness.advance(1);
    expect((await retrieve(thread.id, run.id)).status).toBe('in_progress');
    await harness.advance(1);
    const done = await retrieve(thread.id, run.id);
    expect(done.status).toBe('completed');
    expect(done.usage!.total_tokens).toBe(done.usage!.prompt_tokens + done.usage!.completion_tokens);

    const steps = await client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id, order: 'asc' });
    expect(steps.data.map((step) => [step.type, step.status])).toEqual([
      ['tool_calls', 'completed'],
      ['message_creation', 'completed'],
    ]);
    const details = steps.data[0]!.step_details as OpenAI.Beta.Threads.Runs.ToolCallsStepDetails;
    expect(
      details.tool_calls.map((call) => (call as OpenAI.Beta.Threads.Runs.FunctionToolCall).function.output),
    ).toEqual(['{"answer":40}', '{"answer":41}']);
    const reply = await client.beta.threads.messages.list(thread.id, { run_id: run.id });
    const text = (reply.data[0]!.content[0] as OpenAI.Beta.Threads.TextContentBlock).text.value;
    expect(text).toContain('get_weather returned: {"answer":40}');
    expect(text).toContain('lookup_order returned: {"answer":41}');
  });

  it.each(['queued', 'in_progress', 'requires_action'] as const)(
    'cancels a %s run: cancelling, then cancelled',
    async (from) => {
      const { assistant, thread } = await setup([WEATHER_TOOL]);
      const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
      await harness.advance({ queued: 0, in_progress: 1, requires_action: 2 }[from]);
      expect((await retrieve(thread.id, run.id)).status).toBe(from);
      const cancelling = await client.beta.threads.runs.cancel(run.id, { thread_id: thread.id });
      expect(cancelling.status).toBe('cancelling');
      expect(cancelling.required_action).toBeNull();
      await harness.advance(1);
      const cancelled = await retrieve(thread.id, run.id);
      expect(cancelled.status).toBe('cancelled');
      expect(cancelled.cancelled_at!).toBeGreaterThanOrEqual(cancelled.created_at);
      expect(cancelled.usage).not.toBeNull();
    },
  );

  it('expires a run still waiting at expires_at, keeping expires_at', async () => {
    const { assistant, thread } = await setup([WEATHER_TOOL]);
    const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await harness.advance(599);
    expect((await retrieve(thread.id, run.id)).status).toBe('requires_action');
    await harness.advance(1);
    const expired = await retrieve(thread.id, run.id);
    expect(expired.status).toBe('expired');
    expect(expired.expires_at).toBe(run.created_at + 600);
    expect(expired.required_action).toBeNull();
    const steps = await client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id });
    expect(steps.data[0]!.status).toBe('expired');
  });

  it('modifies metadata, also on an ended run', async () => {
    const { assistant, thread } = await setup();
    const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await harness.advance(2);
    const updated = await client.beta.threads.runs.update(run.id, {
      thread_id: thread.id,
      metadata: { reviewed: 'yes' },
    });
    expect(updated).toMatchObject({ status: 'completed', metadata: { reviewed: 'yes' } });
    expect((await retrieve(thread.id, run.id)).metadata).toEqual({ reviewed: 'yes' });
  });

  it('creates a thread and a run in one call', async () => {
    const { assistant } = await setup();
    const run = await client.beta.threads.createAndRun({
      assistant_id: assistant.id,
      thread: { messages: [{ role: 'user', content: 'Hello' }], metadata: { source: 'sdk' } },
    });
    expect(run.status).toBe('queued');
    const thread = await client.beta.threads.retrieve(run.thread_id);
    expect(thread.metadata).toEqual({ source: 'sdk' });
  });
});

describe('listing runs through the openai SDK', () => {
  async function seededThread(count: number) {
    const response = await harness.admin('/seed', { count });
    const { thread_id: threadId } = (await response.json()) as { thread_id: string };
    return threadId;
  }

  it('lists newest first by default, 20 a page, with the list envelope', async () => {
    const threadId = await seededThread(45);
    const page = await client.beta.threads.runs.list(threadId);
    expect(page.data).toHaveLength(20);
    expect(page.has_more).toBe(true);
    const createdAt = page.data.map((run) => run.created_at);
    expect(createdAt).toEqual([...createdAt].sort((a, b) => b - a));
  });

  it('pages with after in both orders, and the auto-pager visits every run once', async () => {
    const threadId = await seededThread(45);
    const desc: string[] = [];
    for await (const run of client.beta.threads.runs.list(threadId, { limit: 7 })) desc.push(run.id);
    expect(desc).toHaveLength(45);
    expect(new Set(desc).size).toBe(45);
    const asc: string[] = [];
    for await (const run of client.beta.threads.runs.list(threadId, { limit: 10, order: 'asc' }))
      asc.push(run.id);
    expect(asc).toEqual([...desc].reverse());

    const first = await client.beta.threads.runs.list(threadId, { limit: 10, order: 'asc' });
    const second = await client.beta.threads.runs.list(threadId, {
      limit: 10,
      order: 'asc',
      after: first.data.at(-1)!.id,
    });
    expect(second.data.map((run) => run.id)).toEqual(asc.slice(10, 20));
  });

  it('pages backwards with before, returning the page in the requested order', async () => {
    const threadId = await seededThread(30);
    const all: string[] = [];
    for await (const run of client.beta.threads.runs.list(threadId, { limit: 100 })) all.push(run.id);

    const beforeDesc = await client.beta.threads.runs.list(threadId, { limit: 5, before: all[12] });
    expect(beforeDesc.data.map((run) => run.id)).toEqual(all.slice(7, 12));
    expect(beforeDesc.has_more).toBe(true);
    const atStart = await client.beta.threads.runs.list(threadId, { limit: 5, before: all[3] });
    expect(atStart.data.map((run) => run.id)).toEqual(all.slice(0, 3));
    expect(atStart.has_more).toBe(false);

    const ascending = [...all].reverse();
    const beforeAsc = await client.beta.threads.runs.list(threadId, {
      limit: 4,
      order: 'asc',
      before: ascending[10],
    });
    expect(beforeAsc.data.map((run) => run.id)).toEqual(ascending.slice(6, 10));
  });

  it('answers an empty page for a thread without runs', async () => {
    const thread = await client.beta.threads.create();
    const page = await client.beta.threads.runs.list(thread.id);
    expect(page.data).toEqual([]);
    expect(page.has_more).toBe(false);
  });
});

describe('with real timers', () => {
  it('createAndPoll reaches completed on its own at a high time scale', async () => {
    const live = await createHarness({ frozenWallClockMs: undefined, timeScale: 1000 });
    try {
      const assistant = await live.client.beta.assistants.create({ model: 'gpt-4o' });
      const thread = await live.client.beta.threads.create({ messages: [{ role: 'user', content: 'Hi' }] });
      const run = await live.client.beta.threads.runs.createAndPoll(thread.id, {
        assistant_id: assistant.id,
      });
      expect(run.status).toBe('completed');
    } finally {
      await live.close();
    }
  });
});
