import type { CreateAssistantRequest } from '../../shared/openai-types';
import {
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

/** CreateAssistantRequest (L32844). */
export function parseCreateAssistant(body: JsonObject): ParsedAssistantRequest {
  rejectUnknownFields(body, [
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
  ]);
  return {
    model: requiredString(body, 'model'),
    name: optionalString(body, 'name', 'name', 256) ?? null,
    description: optionalString(body, 'description', 'description', 512) ?? null,
    instructions: optionalString(body, 'instructions', 'instructions', 256_000) ?? null,
    tools: optionalTools(body, 128) ?? [],
    tool_resources: optionalObject(body, 'tool_resources') ?? null,
    metadata: optionalMetadata(body) ?? null,
    temperature: optionalNumber(body, 'temperature', { min: 0, max: 2 }) ?? null,
    top_p: optionalNumber(body, 'top_p', { min: 0, max: 1 }) ?? null,
    response_format: optionalResponseFormat(body) ?? null,
  };
}
