import * as z from 'zod';
import { createMessageRequest } from './message-requests';
import { MAX_INSTRUCTIONS, decimal, integer, jsonObject, metadata, optional } from './request-fields';
import { createThreadRequest } from './thread-requests';
import { responseFormat, toolChoice, toolList, truncationStrategy } from './tool-requests';

export const REASONING_EFFORTS = ['minimal', 'low', 'medium', 'high'] as const;

/** The fields of a run, in the order they are checked; create thread and run has all but additional_*. */
const runFields = {
  assistant_id: z.string(),
  stream: optional(z.boolean()),
  model: optional(z.string()),
  reasoning_effort: optional(z.enum(REASONING_EFFORTS)),
  instructions: optional(z.string().max(MAX_INSTRUCTIONS)),
  additional_instructions: optional(z.string().max(MAX_INSTRUCTIONS)),
  additional_messages: optional(z.array(createMessageRequest)),
  tools: optional(toolList(20)),
  metadata: optional(metadata),
  temperature: optional(decimal({ min: 0, max: 2 })),
  top_p: optional(decimal({ min: 0, max: 1 })),
  max_prompt_tokens: optional(integer({ min: 256 })),
  max_completion_tokens: optional(integer({ min: 256 })),
  truncation_strategy: optional(truncationStrategy),
  tool_choice: optional(toolChoice),
  parallel_tool_calls: optional(z.boolean()),
  response_format: optional(responseFormat),
};
const {
  additional_instructions: _instructions,
  additional_messages: _messages,
  ...threadAndRunFields
} = runFields;

/** CreateRunRequest: no extra properties; ranges as the spec states them. */
export const createRunRequest = z.strictObject(runFields);

/** CreateThreadAndRunRequest: the run's fields without additional_*, plus an optional `thread`. */
export const createThreadAndRunRequest = z.strictObject({
  ...threadAndRunFields,
  thread: optional(createThreadRequest),
  /** Accepted, as OpenAI's spec has it; the thread's own `tool_resources` are the ones stored. */
  tool_resources: optional(jsonObject),
});

/** ModifyRunRequest: metadata only. */
export const modifyRunRequest = z.strictObject({ metadata: optional(metadata) });

/** SubmitToolOutputsRunRequest; an output left out reads as "". */
export const submitToolOutputsRequest = z.strictObject({
  stream: optional(z.boolean()),
  tool_outputs: z.array(
    z
      .strictObject({ tool_call_id: z.string(), output: optional(z.string()) })
      .transform(({ tool_call_id, output }) => ({ tool_call_id, output: output ?? '' })),
  ),
});

export type CreateRunRequest = z.output<typeof createRunRequest>;
export type CreateThreadAndRunRequest = z.output<typeof createThreadAndRunRequest>;
export type ModifyRunRequest = z.output<typeof modifyRunRequest>;
export type SubmitToolOutputsRequest = z.output<typeof submitToolOutputsRequest>;
export type ToolOutput = SubmitToolOutputsRequest['tool_outputs'][number];
