import type { CreateThreadRequest, ModifyThreadRequest } from '../../shared/openai-types';
import { optionalObject, rejectUnknownFields } from './field-rules';
import type { JsonObject } from './json-body';
import { optionalMessages } from './message-request';
import { optionalMetadata } from './metadata';

export interface ParsedThreadRequest extends CreateThreadRequest {
  tool_resources: Record<string, unknown> | null;
}

/** CreateThreadRequest (L36817); `path` prefixes parameter names when nested (`thread.` in create-and-run). */
export function parseCreateThread(body: JsonObject, path = ''): ParsedThreadRequest {
  rejectUnknownFields(body, ['messages', 'tool_resources', 'metadata'], path);
  return {
    messages: optionalMessages(body, 'messages') ?? [],
    tool_resources: optionalObject(body, 'tool_resources', `${path}tool_resources`) ?? null,
    metadata: optionalMetadata(body) ?? null,
  };
}

/** ModifyThreadRequest (L44808): `tool_resources` and `metadata`; absent or null leaves a field as it is. */
export function parseModifyThread(body: JsonObject): ModifyThreadRequest {
  rejectUnknownFields(body, ['tool_resources', 'metadata']);
  return {
    tool_resources: optionalObject(body, 'tool_resources'),
    metadata: optionalMetadata(body),
  };
}
