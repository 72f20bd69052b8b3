import * as z from 'zod';
import { MAX_INSTRUCTIONS, decimal, jsonObject, metadata, optional, withoutNulls } from './request-fields';
import { responseFormat, toolList } from './tool-requests';

const assistantFields = {
  model: optional(z.string()),
  name: optional(z.string().max(256)),
  description: optional(z.string().max(512)),
  instructions: optional(z.string().max(MAX_INSTRUCTIONS)),
  /** Accepted, as OpenAI's spec has it, and not used: the answer carries none. */
  reasoning_effort: z
    .unknown()
    .transform(() => undefined)
    .optional(),
  tools: optional(toolList(128)),
  tool_resources: optional(jsonObject),
  metadata: optional(metadata),
  temperature: optional(decimal({ min: 0, max: 2 })),
  top_p: optional(decimal({ min: 0, max: 1 })),
  response_format: optional(responseFormat),
};

/** CreateAssistantRequest */
export const createAssistantRequest = z.strictObject({ ...assistantFields, model: z.string() });

/**
 * ModifyAssistantRequest: the same fields and limits as create, none required. Only the fields given with a value
 * are kept; absent and null leave the assistant's value as it is (send "" to empty a name).
 */
export const modifyAssistantRequest = z.strictObject(assistantFields).transform(withoutNulls);

export type CreateAssistantRequest = z.output<typeof createAssistantRequest>;
export type ModifyAssistantRequest = z.output<typeof modifyAssistantRequest>;
