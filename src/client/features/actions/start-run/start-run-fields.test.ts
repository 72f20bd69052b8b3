import { describe, expect, it } from 'vitest';
import { newRow } from '../metadata/metadata-pairs';
import { checkStartRun, EMPTY_START_RUN_FIELDS } from './start-run-fields';

const base = { ...EMPTY_START_RUN_FIELDS, assistantId: 'asst_abc' };

describe('checkStartRun', () => {
  it('sends only the assistant when nothing is overridden', () => {
    expect(checkStartRun(base).request).toEqual({ assistant_id: 'asst_abc' });
  });

  it('asks for an assistant and refuses a malformed id', () => {
    expect(checkStartRun(EMPTY_START_RUN_FIELDS).errors.assistantId).toMatch(/Choose an assistant/);
    expect(checkStartRun({ ...base, assistantId: 'thread_1' }).errors.assistantId).toMatch(
      /begins with 'asst_'/,
    );
  });

  it('builds every override the way CreateRunRequest spells it', () => {
    const { request } = checkStartRun({
      ...base,
      model: ' gpt-4o-mini ',
      instructions: 'Be brief.',
      additionalInstructions: 'Answer in French.',
      additionalMessage: 'Where is my order?',
      temperature: '0.2',
      topP: '1',
      maxPromptTokens: '2000',
      maxCompletionTokens: '256',
      truncation: 'last_messages',
      lastMessages: '5',
      toolChoice: 'function:lookup_order',
      parallelToolCalls: 'false',
      metadata: [newRow('ticket', 'T-1'), newRow()],
    });
    expect(request).toEqual({
      assistant_id: 'asst_abc',
      model: 'gpt-4o-mini',
      instructions: 'Be brief.',
      additional_instructions: 'Answer in French.',
      additional_messages: [{ role: 'user', content: 'Where is my order?' }],
      temperature: 0.2,
      top_p: 1,
      max_prompt_tokens: 2000,
      max_completion_tokens: 256,
      truncation_strategy: { type: 'last_messages', last_messages: 5 },
      tool_choice: { type: 'function', function: { name: 'lookup_order' } },
      parallel_tool_calls: false,
      metadata: { ticket: 'T-1' },
    });
  });

  it("mirrors the spec's ranges with readable messages", () => {
    const { request, errors } = checkStartRun({
      ...base,
      temperature: '2.5',
      topP: '-0.1',
      maxPromptTokens: '100',
      maxCompletionTokens: '300.5',
      truncation: 'last_messages',
      lastMessages: '0',
    });
    expect(request).toBeNull();
    expect(errors).toEqual({
      temperature: 'Temperature must be between 0 and 2.',
      topP: 'Top p must be between 0 and 1.',
      maxPromptTokens: 'Max prompt tokens must be at least 256.',
      maxCompletionTokens: 'Max completion tokens must be a whole number.',
      lastMessages: 'The number of messages must be at least 1.',
    });
    expect(checkStartRun({ ...base, temperature: 'warm' }).errors.temperature).toBe(
      'Temperature must be a number.',
    );
  });

  it('refuses metadata over the limits', () => {
    const check = checkStartRun({ ...base, metadata: [newRow('k'.repeat(65), 'v')] });
    expect(check.request).toBeNull();
    expect(check.metadata.valid).toBe(false);
  });

  it('sends the tool choice keywords and an explicit parallel_tool_calls', () => {
    expect(
      checkStartRun({ ...base, toolChoice: 'required', parallelToolCalls: 'true', truncation: 'auto' })
        .request,
    ).toEqual({
      assistant_id: 'asst_abc',
      tool_choice: 'required',
      parallel_tool_calls: true,
      truncation_strategy: { type: 'auto' },
    });
  });
});
