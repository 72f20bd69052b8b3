import type {
  AssistantTool,
  ResponseFormat,
  ToolChoice,
  TruncationStrategy,
} from '../../shared/openai-types';
import { badRequest } from '../api-error';
import {
  asArray,
  asObject,
  optionalBoolean,
  optionalInteger,
  optionalObject,
  optionalString,
  oneOf,
  rejectUnknownFields,
  requiredString,
} from './field-rules';
import { checkFunctionParameters } from './function-parameters';
import type { JsonObject } from './json-body';

const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export function optionalTools(body: JsonObject, maxItems: number): AssistantTool[] | undefined {
  const value = body.tools;
  if (value === undefined || value === null) return undefined;
  return asArray(value, 'tools', maxItems).map((item, index) => parseTool(item, `tools[${index}]`));
}

function parseTool(value: unknown, path: string): AssistantTool {
  const tool = asObject(value, path);
  const type = oneOf(tool.type, ['code_interpreter', 'file_search', 'function'] as const, `${path}.type`);
  if (type === 'code_interpreter') {
    rejectUnknownFields(tool, ['type'], `${path}.`);
    return { type };
  }
  if (type === 'file_search') {
    rejectUnknownFields(tool, ['type', 'file_search'], `${path}.`);
    const fileSearch = optionalObject(tool, 'file_search', `${path}.file_search`);
    return fileSearch ? { type, file_search: fileSearch } : { type };
  }
  rejectUnknownFields(tool, ['type', 'function'], `${path}.`);
  if (tool.function === undefined) {
    throw badRequest(
      `Missing required parameter: '${path}.function'.`,
      `${path}.function`,
      'missing_required_parameter',
    );
  }
  const definition = asObject(tool.function, `${path}.function`);
  rejectUnknownFields(definition, ['name', 'description', 'parameters', 'strict'], `${path}.function.`);
  const name = requiredString(definition, 'name', `${path}.function.name`);
  if (!FUNCTION_NAME.test(name)) {
    throw badRequest(
      `Invalid '${path}.function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$' with at most 64 characters.`,
      `${path}.function.name`,
      'invalid_value',
    );
  }
  const description = optionalString(definition, 'description', `${path}.function.description`);
  const parameters = optionalObject(definition, 'parameters', `${path}.function.parameters`);
  if (parameters !== undefined) checkFunctionParameters(parameters, name, path);
  const strict = optionalBoolean(definition, 'strict', `${path}.function.strict`);
  return {
    type,
    function: {
      name,
      ...(description !== undefined && { description }),
      ...(parameters !== undefined && { parameters }),
      ...(strict !== undefined && { strict }),
    },
  };
}

export function optionalToolChoice(body: JsonObject): ToolChoice | undefined {
  const value = body.tool_choice;
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return oneOf(value, ['none', 'auto', 'required'] as const, 'tool_choice');
  const choice = asObject(value, 'tool_choice');
  const type = oneOf(
    choice.type,
    ['function', 'code_interpreter', 'file_search'] as const,
    'tool_choice.type',
  );
  if (type !== 'function') {
    rejectUnknownFields(choice, ['type'], 'tool_choice.');
    return { type };
  }
  rejectUnknownFields(choice, ['type', 'function'], 'tool_choice.');
  if (choice.function === undefined) {
    throw badRequest(
      `Missing required parameter: 'tool_choice.function'.`,
      'tool_choice.function',
      'missing_required_parameter',
    );
  }
  const fn = asObject(choice.function, 'tool_choice.function');
  rejectUnknownFields(fn, ['name'], 'tool_choice.function.');
  return { type, function: { name: requiredString(fn, 'name', 'tool_choice.function.name') } };
}

export function optionalResponseFormat(body: JsonObject): ResponseFormat | undefined {
  const value = body.response_format;
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return oneOf(value, ['auto'] as const, 'response_format');
  const format = asObject(value, 'response_format');
  const type = oneOf(format.type, ['text', 'json_object', 'json_schema'] as const, 'response_format.type');
  if (type !== 'json_schema') {
    rejectUnknownFields(format, ['type'], 'response_format.');
    return { type };
  }
  rejectUnknownFields(format, ['type', 'json_schema'], 'response_format.');
  if (format.json_schema === undefined) {
    throw badRequest(
      `Missing required parameter: 'response_format.json_schema'.`,
      'response_format.json_schema',
      'missing_required_parameter',
    );
  }
  const jsonSchema = asObject(format.json_schema, 'response_format.json_schema');
  rejectUnknownFields(
    jsonSchema,
    ['name', 'description', 'schema', 'strict'],
    'response_format.json_schema.',
  );
  const name = requiredString(jsonSchema, 'name', 'response_format.json_schema.name');
  const description = optionalString(jsonSchema, 'description', 'response_format.json_schema.description');
  const schema = optionalObject(jsonSchema, 'schema', 'response_format.json_schema.schema');
  const strict = optionalBoolean(jsonSchema, 'strict', 'response_format.json_schema.strict');
  return {
    type,
    json_schema: {
      name,
      ...(description !== undefined && { description }),
      ...(schema !== undefined && { schema }),
      ...(strict !== undefined && { strict }),
    },
  };
}

export function optionalTruncationStrategy(body: JsonObject): TruncationStrategy | undefined {
  const strategy = optionalObject(body, 'truncation_strategy');
  if (!strategy) return undefined;
  rejectUnknownFields(strategy, ['type', 'last_messages'], 'truncation_strategy.');
  const type = oneOf(strategy.type, ['auto', 'last_messages'] as const, 'truncation_strategy.type');
  const lastMessages = optionalInteger(
    strategy,
    'last_messages',
    { min: 1 },
    'truncation_strategy.last_messages',
  );
  return { type, last_messages: lastMessages ?? null };
}
