import type { CreateAssistantRequest, ModifyAssistantRequest } from '../../shared/openai-types';
import {
  MAX_INSTRUCTIONS,
  optionalNumber,
  optionalObject,
  optionalString,
  rejectUnknownFields,
  requiredString,
} from './field-rules';
import type { JsonObject } from './json-body';
import { optionalMetadata } from './metadata';
import { optionalResponseFormat, optionalTools } from './tools';

export interface ParsedAssistantRequest extends CreateAssistantRequest {
  tool_resources?: Record<string, unknown> | null;
}

const ASSISTANT_FIELDS = [
  'model',
  'name',
  'description',
  'instructions',
  'reasoning_effort',
  'tools',
  'tool_resources',
  'metadata',
  'temperature',
  'top_p',
  'response_format',
];

/** CreateAssistantRequest (L32844). */
export function parseCreateAssistant(body: JsonObject): ParsedAssistantRequest {
  rejectUnknownFields(body, ASSISTANT_FIELDS);
  return {
    model: requiredString(body, 'model'),
    name: optionalString(body, 'name', 'name', 256) ?? null,
    description: optionalString(body, 'description', 'description', 512) ?? null,
    instructions: optionalString(body, 'instructions', 'instructions', MAX_INSTRUCTIONS) ?? null,
    tools: optionalTools(body, 128) ?? [],
    tool_resources: optionalObject(body, 'tool_resources') ?? null,
    metadata: optionalMetadata(body) ?? null,
    temperature: optionalNumber(body, 'temperature', { min: 0, max: 2 }) ?? null,
    top_p: optionalNumber(body, 'top_p', { min: 0, max: 1 }) ?? null,
    response_format: optionalResponseFormat(body) ?? null,
  };
}

/**
 * ModifyAssistantRequest (L44668): the same fields and limits as create, none required. Only the fields given with a
 * value are returned; absent and null leave the assistant's value as it is (send "" to empty a name).
 */
export function parseModifyAssistant(body: JsonObject): ModifyAssistantRequest {
  rejectUnknownFields(body, ASSISTANT_FIELDS);
  const changes: ModifyAssistantRequest = {
    model: optionalString(body, 'model'),
    name: optionalString(body, 'name', 'name', 256),
    description: optionalString(body, 'description', 'description', 512),
    instructions: optionalString(body, 'instructions', 'instructions', MAX_INSTRUCTIONS),
    tools: optionalTools(body, 128),
    tool_resources: optionalObject(body, 'tool_resources'),
    metadata: optionalMetadata(body),
    temperature: optionalNumber(body, 'temperature', { min: 0, max: 2 }),
    top_p: optionalNumber(body, 'top_p', { min: 0, max: 1 }),
    response_format: optionalResponseFormat(body),
  };
  return Object.fromEntries(
    Object.entries(changes).filter(([, value]) => value !== undefined),
  ) as ModifyAssistantRequest;
}
