import type {
  CreateRunRequest,
  ModifyRunRequest,
  SubmitToolOutputsRequest,
  ToolOutput,
} from '../../shared/openai-types';
import { badRequest } from '../api-error';
import {
  MAX_INSTRUCTIONS,
  asArray,
  asObject,
  oneOf,
  optionalBoolean,
  optionalInteger,
  optionalNumber,
  optionalObject,
  optionalString,
  rejectUnknownFields,
  requiredString,
} from './field-rules';
import type { JsonObject } from './json-body';
import { optionalMessages } from './message-request';
import { optionalMetadata } from './metadata';
import { parseCreateThread, type ParsedThreadRequest } from './thread-request';
import {
  optionalResponseFormat,
  optionalToolChoice,
  optionalTools,
  optionalTruncationStrategy,
} from './tools';

const RUN_FIELDS = [
  'assistant_id',
  'model',
  'reasoning_effort',
  'instructions',
  'additional_instructions',
  'additional_messages',
  'tools',
  'metadata',
  'temperature',
  'top_p',
  'stream',
  'max_prompt_tokens',
  'max_completion_tokens',
  'truncation_strategy',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
] as const;

/** CreateRunRequest (L36415): no extra properties; ranges as the spec states them. */
export function parseCreateRun(body: JsonObject): CreateRunRequest {
  rejectUnknownFields(body, RUN_FIELDS);
  return parseRunFields(body);
}

export interface CreateThreadAndRunRequest extends CreateRunRequest {
  thread: ParsedThreadRequest;
}

/** CreateThreadAndRunRequest (L36635): the run's fields without additional_*, plus an optional `thread`. */
export function parseCreateThreadAndRun(body: JsonObject): CreateThreadAndRunRequest {
  rejectUnknownFields(body, [
    ...RUN_FIELDS.filter((field) => field !== 'additional_instructions' && field !== 'additional_messages'),
    'thread',
    'tool_resources',
  ]);
  const thread = optionalObject(body, 'thread');
  return { ...parseRunFields(body), thread: parseCreateThread(thread ?? {}, 'thread.') };
}

function parseRunFields(body: JsonObject): CreateRunRequest {
  const reasoningEffort = body.reasoning_effort;
  return {
    assistant_id: requiredString(body, 'assistant_id'),
    stream: optionalBoolean(body, 'stream') ?? null,
    model: optionalString(body, 'model') ?? null,
    reasoning_effort:
      reasoningEffort === undefined || reasoningEffort === null
        ? null
        : oneOf(reasoningEffort, ['minimal', 'low', 'medium', 'high'] as const, 'reasoning_effort'),
    instructions: optionalString(body, 'instructions', 'instructions', MAX_INSTRUCTIONS) ?? null,
    additional_instructions:
      optionalString(body, 'additional_instructions', 'additional_instructions', MAX_INSTRUCTIONS) ?? null,
    additional_messages: optionalMessages(body, 'additional_messages') ?? null,
    tools: optionalTools(body, 20) ?? null,
    metadata: optionalMetadata(body) ?? null,
    temperature: optionalNumber(body, 'temperature', { min: 0, max: 2 }) ?? null,
    top_p: optionalNumber(body, 'top_p', { min: 0, max: 1 }) ?? null,
    max_prompt_tokens: optionalInteger(body, 'max_prompt_tokens', { min: 256 }) ?? null,
    max_completion_tokens: optionalInteger(body, 'max_completion_tokens', { min: 256 }) ?? null,
    truncation_strategy: optionalTruncationStrategy(body) ?? null,
    tool_choice: optionalToolChoice(body) ?? null,
    ...(optionalBoolean(body, 'parallel_tool_calls') !== undefined && {
      parallel_tool_calls: optionalBoolean(body, 'parallel_tool_calls'),
    }),
    response_format: optionalResponseFormat(body) ?? null,
  };
}

/** ModifyRunRequest (L44802): metadata only. */
export function parseModifyRun(body: JsonObject): ModifyRunRequest {
  rejectUnknownFields(body, ['metadata']);
  return { metadata: optionalMetadata(body) ?? null };
}

/** SubmitToolOutputsRunRequest (L63273). */
export function parseSubmitToolOutputs(body: JsonObject): SubmitToolOutputsRequest {
  rejectUnknownFields(body, ['tool_outputs', 'stream']);
  const stream = optionalBoolean(body, 'stream') ?? null;
  if (body.tool_outputs === undefined) {
    throw badRequest(
      `Missing required parameter: 'tool_outputs'.`,
      'tool_outputs',
      'missing_required_parameter',
    );
  }
  const toolOutputs = asArray(body.tool_outputs, 'tool_outputs').map((item, index): ToolOutput => {
    const path = `tool_outputs[${index}]`;
    const output = asObject(item, path);
    rejectUnknownFields(output, ['tool_call_id', 'output'], `${path}.`);
    return {
      tool_call_id: requiredString(output, 'tool_call_id', `${path}.tool_call_id`),
      output: optionalString(output, 'output', `${path}.output`) ?? '',
    };
  });
  return { tool_outputs: toolOutputs, stream };
}
