import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { createAssistantRequest } from '../../shared/requests/assistant-requests';
import { listQuery, stepListQuery } from '../../shared/requests/list-queries';
import { createMessageRequest } from '../../shared/requests/message-requests';
import {
  createRunRequest,
  createThreadAndRunRequest,
  submitToolOutputsRequest,
} from '../../shared/requests/run-requests';
import { EmulatorApiError } from '../api-error';
import { parseRequest } from './v1-validators';

/** The refusal a schema's error map gives for a body, as OpenAI's error body's fields. */
function refusal(schema: z.ZodType, body: unknown) {
  try {
    parseRequest(schema, body);
  } catch (error) {
    if (error instanceof EmulatorApiError) return error.toBody().error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const run = (fields: Record<string, unknown>) => ({ assistant_id: 'asst_1', ...fields });

describe('the /v1 error map', () => {
  it("names nested parameters by their path, as OpenAI's param does", () => {
    expect(
      refusal(
        createThreadAndRunRequest,
        run({ thread: { messages: [{ role: 'user', content: 'x', colour: 1 }] } }),
      ),
    ).toEqual({
      message: 'Unrecognized request argument supplied: thread.messages[0].colour',
      type: 'invalid_request_error',
      param: null,
      code: null,
    });
    expect(
      refusal(
        createRunRequest,
        run({ additional_messages: [{ role: 'user', content: 'x', metadata: { note: 'v'.repeat(513) } }] }),
      ),
    ).toMatchObject({ param: 'additional_messages[0].metadata.note', code: 'string_above_max_length' });
    expect(
      refusal(createRunRequest, run({ tools: [{ type: 'function', function: { name: 'bad name!' } }] })),
    ).toEqual({
      message:
        "Invalid 'tools[0].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$' with at most 64 characters.",
      type: 'invalid_request_error',
      param: 'tools[0].function.name',
      code: 'invalid_value',
    });
  });

  it("reports an object's unknown fields before its fields, then the fields in the schema's order", () => {
    expect(refusal(createRunRequest, { temperature: 'hot', colour: 'blue' })).toMatchObject({
      message: 'Unrecognized request argument supplied: colour',
    });
    expect(refusal(createRunRequest, { temperature: 'hot' })).toMatchObject({
      message: "Missing required parameter: 'assistant_id'.",
      code: 'missing_required_parameter',
    });
    expect(refusal(createRunRequest, run({ temperature: 'hot', top_p: 5 }))).toMatchObject({
      param: 'temperature',
      code: 'invalid_type',
    });
  });

  it('answers a union in the form the input has: a string option, or the object', () => {
    expect(refusal(createRunRequest, run({ tool_choice: 'sometimes' }))).toMatchObject({
      message: "Invalid value: 'sometimes'. Supported values are: 'none', 'auto', and 'required'.",
      param: 'tool_choice',
    });
    expect(refusal(createRunRequest, run({ tool_choice: { type: 'browser' } }))).toMatchObject({
      message:
        "Invalid value: 'browser'. Supported values are: 'function', 'code_interpreter', and 'file_search'.",
      param: 'tool_choice.type',
    });
    expect(refusal(createRunRequest, run({ tool_choice: { type: 'function' } }))).toMatchObject({
      message: "Missing required parameter: 'tool_choice.function'.",
    });
    expect(refusal(createRunRequest, run({ response_format: 5 }))).toMatchObject({
      message: "Invalid type for 'response_format': expected an object, but got an integer instead.",
    });
    expect(refusal(createMessageRequest, { role: 'user', content: [{ type: 'image_url' }] })).toMatchObject({
      message: "Invalid value: 'image_url'. The Runboard emulator supports text content parts only ('text').",
      param: 'content[0].type',
    });
    expect(refusal(createAssistantRequest, { model: 'm', tools: [{}] })).toMatchObject({
      message: "Missing required parameter: 'tools[0].type'.",
    });
  });

  it('words integers and decimals apart, and takes integers beyond the safe range', () => {
    expect(refusal(createRunRequest, run({ max_prompt_tokens: '1000' }))).toMatchObject({
      message: "Invalid type for 'max_prompt_tokens': expected an integer, but got a string instead.",
    });
    expect(
      refusal(createRunRequest, run({ truncation_strategy: { type: 'auto', last_messages: 0 } })),
    ).toMatchObject({
      message:
        "Invalid 'truncation_strategy.last_messages': integer below minimum value. Expected a value >= 1, but got 0 instead.",
      code: 'integer_below_min_value',
    });
    expect(parseRequest(createRunRequest, run({ max_prompt_tokens: 2 ** 60 })).max_prompt_tokens).toBe(
      2 ** 60,
    );
    expect(
      refusal(submitToolOutputsRequest, { tool_outputs: [{ tool_call_id: 'call_1', output: 5 }] }),
    ).toMatchObject({ param: 'tool_outputs[0].output', code: 'invalid_type' });
  });

  it('reads list queries as OpenAI did: the first of a repeated value, an empty cursor as none', () => {
    expect(parseRequest(listQuery('run'), { limit: ['5', '7'], after: '' })).toEqual({
      limit: 5,
      order: 'desc',
    });
    expect(refusal(stepListQuery, { limit: '0', 'include[]': 'usage' })).toMatchObject({ param: 'limit' });
    expect(refusal(stepListQuery, { include: ['usage'] })).toMatchObject({ param: 'include[0]' });
  });
});
