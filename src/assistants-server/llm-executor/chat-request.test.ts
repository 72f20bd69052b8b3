import { describe, expect, it } from 'vitest';
import type { Message, RunStep } from '../../shared/openai-types';
import { makeRun } from '../../shared/test-support/run-fixture';
import { assistantMessage, newStep, postedMessage } from '../lifecycle/wire-objects';
import { prepareChatRequest } from './chat-request';
import { buildConversation, type ConversationSource } from './conversation';

const WEATHER = {
  type: 'function' as const,
  function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
};

/** A thread: a question, an earlier run that called a tool and answered, a follow-up, and the current run. */
function thread(): { source: ConversationSource; steps: Map<string, RunStep[]> } {
  const base = { threadId: 'thread_a', assistantId: 'asst_a', createdAt: 1000 };
  const first = postedMessage('thread_a', { role: 'user', content: 'Weather in Paris?' }, 1000);
  const answer = assistantMessage('thread_a', 'run_old', 'asst_a', 'It is 21 °C in Paris.', 1001);
  const followUp = postedMessage('thread_a', { role: 'user', content: 'And tomorrow?' }, 1002);
  const toolStep = newStep(
    { ...base, runId: 'run_old' },
    {
      type: 'tool_calls',
      tool_calls: [
        {
          id: 'call_1',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"Paris"}', output: '21' },
        },
      ],
    },
  );
  const messageStep = newStep(
    { ...base, runId: 'run_old' },
    {
      type: 'message_creation',
      message_creation: { message_id: answer.id },
    },
  );
  const steps = new Map<string, RunStep[]>([['run_old', [toolStep, messageStep]]]);
  const messages: Message[] = [first, answer, followUp];
  return { source: { messages, stepsOf: (runId) => steps.get(runId) ?? [] }, steps };
}

describe('buildConversation and prepareChatRequest', () => {
  it('sends instructions, the thread in order with earlier tool calls and outputs, tools and settings', () => {
    const { source } = thread();
    const run = makeRun({
      instructions: 'Be brief.\n\nAnswer in French.',
      tools: [WEATHER, { type: 'file_search' }],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: false,
      temperature: 0.2,
      top_p: 0.9,
      response_format: { type: 'json_object' },
      max_completion_tokens: 300,
    });
    const prepared = prepareChatRequest(run, buildConversation(run.id, source, run.truncation_strategy), {
      model: 'llama3.2',
      used: { prompt: 0, completion: 120 },
    });
    expect(prepared.ok && prepared.request).toEqual({
      model: 'llama3.2',
      messages: [
        { role: 'system', content: 'Be brief.\n\nAnswer in French.' },
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '21' },
        { role: 'assistant', content: 'It is 21 °C in Paris.' },
        { role: 'user', content: 'And tomorrow?' },
      ],
      tools: [WEATHER],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: false,
      temperature: 0.2,
      top_p: 0.9,
      response_format: { type: 'json_object' },
      max_completion_tokens: 180,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('appends the current run transcript: its answered calls go back as tool messages', () => {
    const { source, steps } = thread();
    steps.set('run_a', [
      newStep(
        { threadId: 'thread_a', assistantId: 'asst_a', createdAt: 1003, runId: 'run_a' },
        {
          type: 'tool_calls',
          tool_calls: [
            {
              id: 'call_x',
              type: 'function',
              function: { name: 'get_weather', arguments: '{}', output: 'rain' },
            },
            {
              id: 'call_y',
              type: 'function',
              function: { name: 'get_weather', arguments: '{}', output: 'wind' },
            },
          ],
        },
      ),
    ]);
    const run = makeRun({ tools: [WEATHER] });
    const prepared = prepareChatRequest(run, buildConversation(run.id, source, run.truncation_strategy), {
      model: 'm',
      used: { prompt: 0, completion: 0 },
    });
    expect(prepared.ok && prepared.request.messages.slice(-3)).toEqual([
      expect.objectContaining({
        role: 'assistant',
        tool_calls: [expect.objectContaining({ id: 'call_x' }), expect.objectContaining({ id: 'call_y' })],
      }),
      { role: 'tool', tool_call_id: 'call_x', content: 'rain' },
      { role: 'tool', tool_call_id: 'call_y', content: 'wind' },
    ]);
    expect(prepared.ok && prepared.request.tool_choice).toBe('auto');
    expect(prepared.ok && prepared.request.parallel_tool_calls).toBe(true);
  });

  it('leaves tool settings, the system message and response_format out when there is nothing to send', () => {
    const { source } = thread();
    const run = makeRun({
      tools: [{ type: 'code_interpreter' }],
      response_format: 'auto',
      temperature: null,
      top_p: null,
    });
    const prepared = prepareChatRequest(run, buildConversation(run.id, source, run.truncation_strategy), {
      model: 'm',
      used: { prompt: 0, completion: 0 },
    });
    expect(prepared.ok && Object.keys(prepared.request).sort()).toEqual([
      'messages',
      'model',
      'stream',
      'stream_options',
    ]);
    expect(prepared.ok && prepared.request.messages[0]).toEqual({
      role: 'user',
      content: 'Weather in Paris?',
    });
  });

  it('keeps only the last messages with truncation_strategy last_messages', () => {
    const { source } = thread();
    const run = makeRun({ truncation_strategy: { type: 'last_messages', last_messages: 1 } });
    const prepared = prepareChatRequest(run, buildConversation(run.id, source, run.truncation_strategy), {
      model: 'm',
      used: { prompt: 0, completion: 0 },
    });
    expect(prepared.ok && prepared.request.messages).toEqual([{ role: 'user', content: 'And tomorrow?' }]);
  });

  it('drops the oldest exchanges to fit max_prompt_tokens, and ends incomplete when even the last cannot fit', () => {
    const { source } = thread();
    const fits = makeRun({ max_prompt_tokens: 5 });
    const prepared = prepareChatRequest(fits, buildConversation(fits.id, source, fits.truncation_strategy), {
      model: 'm',
      used: { prompt: 0, completion: 0 },
    });
    expect(prepared.ok && prepared.request.messages).toEqual([{ role: 'user', content: 'And tomorrow?' }]);
    const tooSmall = makeRun({ max_prompt_tokens: 2 });
    expect(
      prepareChatRequest(tooSmall, buildConversation(tooSmall.id, source, tooSmall.truncation_strategy), {
        model: 'm',
        used: { prompt: 0, completion: 0 },
      }),
    ).toEqual({ ok: false, reason: 'max_prompt_tokens' });
  });

  it('ends incomplete before calling when the run has spent its completion tokens', () => {
    const { source } = thread();
    const run = makeRun({ max_completion_tokens: 50 });
    expect(
      prepareChatRequest(run, buildConversation(run.id, source, run.truncation_strategy), {
        model: 'm',
        used: { prompt: 10, completion: 50 },
      }),
    ).toEqual({ ok: false, reason: 'max_completion_tokens' });
  });
});
