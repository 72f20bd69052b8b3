import * as z from 'zod';
import { createMessageRequest } from './message-requests';
import { jsonObject, metadata, optional } from './request-fields';

/** CreateThreadRequest (nested as `thread` in create thread and run). */
export const createThreadRequest = z.strictObject({
  messages: optional(z.array(createMessageRequest)),
  tool_resources: optional(jsonObject),
  metadata: optional(metadata),
});

/** ModifyThreadRequest: `tool_resources` and `metadata`; absent or null leaves a field as it is. */
export const modifyThreadRequest = z.strictObject({
  tool_resources: optional(jsonObject),
  metadata: optional(metadata),
});

export type CreateThreadRequest = z.output<typeof createThreadRequest>;
export type ModifyThreadRequest = z.output<typeof modifyThreadRequest>;
