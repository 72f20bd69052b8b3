import { afterEach, describe, expect, it, vi } from 'vitest';
import type OpenAI from 'openai';
import { MessageStore } from '../store/message-store';
import { WEATHER_TOOL } from '../test-support/emulator-harness';
import type { ModelLimits } from './model-limits';
import { startModelHarness, TEST_MODEL_KEY, type ModelHarness } from './test-support/model-harness';

const LIMITS: ModelLimits = {
  maxAnswerBytes: 64 * 1024,
  maxToolCalls: 8,
  maxBodyBytes: 256 * 1024,
  maxLineBytes: 16 * 1024,
};
const poll = { pollIntervalMs: 20 };

let h: ModelHarness;
afterEach(async () => {
  vi.restoreAllMocks();
  await h?.stop();
});

async function setUp(tools: OpenAI.Beta.AssistantTool[] = []) {
  h = await startModelHarness({ limits: LIMITS });
  const assistant = await h.client.beta.assistants.create({ model: 'gpt-4o', tools });
  const thread = await h.client.beta.threads.create({
    messages: [{ role: 'user', content: 'Weather in Paris?' }],
  });
  return { assistant, thread };
}

/** Creates a run and polls it until it stops moving. */
function runToTheEnd(threadId: string, assistantId: string) {
  return h.client.beta.threads.runs.createAndPoll(threadId, { assistant_id: assistantId }, poll);
}

describe('runs executed by a model that misbehaves', () => {
  it('duplicate tool-call ids get ids unique in the run, and the run completes', async () => {
    const { assistant, thread } = await setUp([WEATHER_TOOL]);
    const sameTwice = {
      toolCalls: [
        { id: 'call_same', name: 'get_weather', arguments: { location: 'Paris' } },
        { id: 'call_same', name: 'get_weather', arguments: { location: 'Rome' } },
      ],
    };
    h.model.script(sameTwice, sameTwice, { text: 'Sunny in both.' });
    const first = await runToTheEnd(thread.id, assistant.id);
    const firstIds = first.required_action!.submit_tool_outputs.tool_calls.map((call) => call.id);
    expect(firstIds[0]).toBe('call_same');
    expect(firstIds[1]).toMatch(/^call_[A-Za-z0-9]{24}$/);

    const second = await h.client.beta.threads.runs.submitToolOutputsAndPoll(
      first.id,
      { thread_id: thread.id, tool_outputs: firstIds.map((id) => ({ tool_call_id: id, output: '21' })) },
      poll,
    );
    // The model said call_same again in its second turn: already given in this run, so both are new.
    const secondIds = second.required_action!.submit_tool_outputs.tool_calls.map((call) => call.id);
    expect(new Set([...firstIds, ...secondIds]).size).toBe(4);
    // The model is told the ids it will be answered with.
    expect(
      h.model.requests[1]!.body.messages.flatMap((m) => (m.role === 'tool' ? [m.tool_call_id] : [])),
    ).toEqual(firstIds);

    const done = await h.client.beta.threads.runs.submitToolOutputsAndPoll(
      second.id,
      { thread_id: thread.id, tool_outputs: secondIds.map((id) => ({ tool_call_id: id, output: '22' })) },
      poll,
    );
    expect(done.status).toBe('completed');
  });

  it('an endless answer is cut at the bound: the run ends incomplete (max_completion_tokens)', async () => {
    const { assistant, thread } = await setUp();
    h.model.script({ endless: 'more and more text ' });
    const run = await runToTheEnd(thread.id, assistant.id);
    expect(run).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_completion_tokens' },
    });
    const [message] = (await h.client.beta.threads.messages.list(thread.id, { run_id: run.id })).data;
    expect(message).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_tokens' } });
    const text = message!.content[0]!.type === 'text' ? message!.content[0]!.text.value : '';
    expect(Buffer.byteLength(text)).toBe(LIMITS.maxAnswerBytes);
    expect((await h.execution(run.id)).model_calls.map((call) => call.outcome)).toEqual(['length']);
    await expect.poll(() => h.model.abandoned()).toBe(1);
  });

  it('a huge tool-call index fails the run (server_error) after the retries, never blocking', async () => {
    const { assistant, thread } = await setUp([WEATHER_TOOL]);
    const hostile = {
      frames: [
        {
          choices: [
            {
              index: 0,
              delta: {
                tool_calls: [
                  { index: 100_000_000, id: 'call_x', function: { name: 'get_weather', arguments: '{}' } },
                ],
              },
            },
          ],
        },
      ],
    };
    h.model.script(hostile, hostile, hostile);
    const run = await runToTheEnd(thread.id, assistant.id);
    expect(run).toMatchObject({ status: 'failed', last_error: { code: 'server_error' } });
    const calls = (await h.execution(run.id)).model_calls;
    expect(calls.map((call) => call.outcome)).toEqual(['unavailable', 'unavailable', 'unavailable']);
    expect(calls[0]!.error).toBe(
      'The model sent 100000001 or more tool calls; at most 8 are accepted in one answer (RUNBOARD_MODEL_MAX_TOOL_CALLS).',
    );
  });

  it('a key in a streamed error event reaches no answer, stored call or log line', async () => {
    const { assistant, thread } = await setUp();
    const leak = { frames: [{ error: { message: `Invalid key ${TEST_MODEL_KEY} (sk-mod***cdef)` } }] };
    h.model.script(leak, leak, leak);
    const run = await runToTheEnd(thread.id, assistant.id);
    expect(run.status).toBe('failed');
    const execution = await h.execution(run.id);
    expect(execution.model_calls[0]!.error).toBe('Invalid key *** ***)');
    const everything = JSON.stringify([run, execution, h.logLines]);
    expect(everything).not.toContain(TEST_MODEL_KEY);
    expect(everything).not.toContain('cdef');
  });

  it.each([
    ['a write of the growing message', 'appendText'],
    ['reading the thread before the call', 'inThread'],
  ] as const)('%s that throws fails the run (server_error), logged once with its id', async (_, method) => {
    const { assistant, thread } = await setUp();
    vi.spyOn(MessageStore.prototype, method).mockImplementation(() => {
      throw new Error('SQLITE_FULL: database or disk is full');
    });
    h.model.script({ text: 'An answer that cannot be written', chunkDelayMs: 5 });
    const run = await runToTheEnd(thread.id, assistant.id);
    expect(run).toMatchObject({ status: 'failed', last_error: { code: 'server_error' } });
    const logged = h.logLines.filter((line) => line.includes('A model run failed unexpectedly'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(run.id);
    expect(logged[0]).toContain('SQLITE_FULL');
  });
});
