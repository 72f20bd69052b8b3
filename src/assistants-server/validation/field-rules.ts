import { badRequest } from '../api-error';
import type { JsonObject } from './json-body';
import { excerpt } from '../../platform/request-input';

/** Field checks with OpenAI's wording. `path` is the parameter as OpenAI names it (`tools[0].type`). */

/** An assistant's `instructions` hold at most 256,000 characters (the spec); a run's (and its additional ones) too. */
export const MAX_INSTRUCTIONS = 256_000;

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return typeof value;
}

function invalidType(path: string, expected: string, value: unknown) {
  return badRequest(
    `Invalid type for '${path}': expected ${expected}, but got ${describeType(value)} instead.`,
    path,
    'invalid_type',
  );
}

export function rejectUnknownFields(body: JsonObject, allowed: readonly string[], prefix = ''): void {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key))
      throw badRequest(`Unrecognized request argument supplied: ${prefix}${excerpt(key)}`);
  }
}

export function requireField(body: JsonObject, key: string, path = key): unknown {
  if (body[key] === undefined) {
    throw badRequest(`Missing required parameter: '${path}'.`, path, 'missing_required_parameter');
  }
  return body[key];
}

/** Absent and null both read as undefined: every optional field of these requests is nullable. */
export function optionalString(
  body: JsonObject,
  key: string,
  path = key,
  maxLength?: number,
): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidType(path, 'a string', value);
  if (maxLength !== undefined && value.length > maxLength) {
    throw badRequest(
      `Invalid '${path}': string too long. Expected a string with maximum length ${maxLength}, but got a string with length ${value.length} instead.`,
      path,
      'string_above_max_length',
    );
  }
  return value;
}

export function requiredString(body: JsonObject, key: string, path = key): string {
  requireField(body, key, path);
  const value = optionalString(body, key, path);
  if (value === undefined) throw invalidType(path, 'a string', body[key]);
  return value;
}

export function optionalBoolean(body: JsonObject, key: string, path = key): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidType(path, 'a boolean', value);
  return value;
}

export function optionalNumber(
  body: JsonObject,
  key: string,
  range: { min?: number; max?: number },
  path = key,
): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidType(path, 'a number', value);
  checkRange(path, value, range, 'decimal');
  return value;
}

export function optionalInteger(
  body: JsonObject,
  key: string,
  range: { min?: number; max?: number },
  path = key,
): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidType(path, 'an integer', value);
  checkRange(path, value, range, 'integer');
  return value;
}

export function checkRange(
  path: string,
  value: number,
  { min, max }: { min?: number; max?: number },
  kind: 'integer' | 'decimal',
): void {
  if (min !== undefined && value < min) {
    throw badRequest(
      `Invalid '${path}': ${kind} below minimum value. Expected a value >= ${min}, but got ${value} instead.`,
      path,
      `${kind}_below_min_value`,
    );
  }
  if (max !== undefined && value > max) {
    throw badRequest(
      `Invalid '${path}': ${kind} above maximum value. Expected a value <= ${max}, but got ${value} instead.`,
      path,
      `${kind}_above_max_value`,
    );
  }
}

export function optionalObject(body: JsonObject, key: string, path = key): JsonObject | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  return asObject(value, path);
}

export function asObject(value: unknown, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidType(path, 'an object', value);
  return value as JsonObject;
}

export function optionalArray(
  body: JsonObject,
  key: string,
  maxItems: number | undefined,
  path = key,
): unknown[] | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  return asArray(value, path, maxItems);
}

export function asArray(value: unknown, path: string, maxItems?: number): unknown[] {
  if (!Array.isArray(value)) throw invalidType(path, 'an array', value);
  if (maxItems !== undefined && value.length > maxItems) {
    throw badRequest(
      `Invalid '${path}': array too long. Expected an array with maximum length ${maxItems}, but got an array with length ${value.length} instead.`,
      path,
      'array_above_max_length',
    );
  }
  return value;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (typeof value !== 'string') throw invalidType(path, 'a string', value);
  if (!(allowed as readonly string[]).includes(value)) {
    throw badRequest(
      `Invalid value: '${excerpt(value)}'. Supported values are: ${listInWords(allowed)}.`,
      path,
      'invalid_value',
    );
  }
  return value as T;
}

function listInWords(values: readonly string[]): string {
  const quoted = values.map((value) => `'${value}'`);
  if (quoted.length <= 2) return quoted.join(' and ');
  return `${quoted.slice(0, -1).join(', ')}, and ${quoted.at(-1)}`;
}
