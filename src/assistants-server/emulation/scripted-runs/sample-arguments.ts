/**
 * A deterministic sample value that satisfies a function's `parameters` JSON schema: the arguments the emulator
 * "calls" a function with. Covers types, enum/const, required and optional properties, nested objects and arrays,
 * local $refs, anyOf/oneOf/allOf, numeric bounds, string lengths and common formats.
 *
 * Schemas are checked at creation (validation/function-parameters.ts), but runs also copy tools stored before that
 * check: the sampler never throws. A keyword of the wrong shape is ignored, a $ref that leads nowhere samples as `{}`,
 * and cyclic $refs stop at MAX_DEPTH.
 */
import { resolvePointer } from '../../../shared/requests/json-pointer';

type Schema = Record<string, unknown>;

const MAX_DEPTH = 8;
/**
 * Bounds for hostile schemas (`minLength: 1e12`, nested `minItems: 1e9`): past them the sample stops growing, so a
 * schema can never exhaust memory. Real tool schemas stay far below.
 */
const MAX_STRING_LENGTH = 10_000;
const MAX_ARRAY_ITEMS = 100;
const MAX_SAMPLED_VALUES = 10_000;
const MAX_SAMPLED_CHARACTERS = 100_000;
let valuesLeft = MAX_SAMPLED_VALUES;
let charactersLeft = MAX_SAMPLED_CHARACTERS;

export function sampleArguments(parameters: Schema | undefined): Record<string, unknown> {
  if (!parameters) return {};
  valuesLeft = MAX_SAMPLED_VALUES;
  charactersLeft = MAX_SAMPLED_CHARACTERS;
  const value = sample(parameters, parameters, 'value', 0);
  return isSchema(value) ? value : {};
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The strings of a `required` list; anything else in it (or a `required` that is not a list) is ignored. */
function names(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function sample(schema: unknown, root: Schema, name: string, depth: number): unknown {
  if (typeof schema !== 'object' || schema === null || depth > MAX_DEPTH || valuesLeft <= 0) return null;
  valuesLeft--;
  const node = schema as Schema;
  if (typeof node.$ref === 'string') return sample(resolveRef(node.$ref, root), root, name, depth + 1);
  if ('const' in node) return node.const;
  if (Array.isArray(node.enum) && node.enum.length > 0) return node.enum[0];
  if ('default' in node) return node.default;
  if (Array.isArray(node.examples) && node.examples.length > 0) return node.examples[0];
  if (Array.isArray(node.allOf)) {
    valuesLeft -= node.allOf.length; // each part is merged: a long allOf costs its length
    return sample(mergeAll(node.allOf, root), root, name, depth + 1);
  }
  const alternatives = (node.anyOf ?? node.oneOf) as unknown[] | undefined;
  if (Array.isArray(alternatives) && alternatives.length > 0) {
    const nonNull = alternatives.find((option) => (option as Schema | null)?.type !== 'null');
    return sample(nonNull ?? alternatives[0], root, name, depth + 1);
  }
  switch (primaryType(node)) {
    case 'object':
      return sampleObject(node, root, depth);
    case 'array':
      return sampleArray(node, root, name, depth);
    case 'string':
      return sampleString(node, name);
    case 'integer':
      return sampleNumber(node, true);
    case 'number':
      return sampleNumber(node, false);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return sampleString(node, name);
  }
}

function primaryType(node: Schema): string | undefined {
  if (typeof node.type === 'string') return node.type;
  if (Array.isArray(node.type)) return (node.type as string[]).find((type) => type !== 'null') ?? 'null';
  if (node.properties) return 'object';
  if (node.items) return 'array';
  return undefined;
}

function sampleObject(node: Schema, root: Schema, depth: number): Record<string, unknown> {
  const properties = isSchema(node.properties) ? node.properties : {};
  const entries = new Map<string, unknown>();
  for (const [key, propertySchema] of Object.entries(properties)) {
    entries.set(key, sample(propertySchema, root, key, depth + 1));
  }
  for (const key of names(node.required)) {
    if (!entries.has(key)) entries.set(key, sampleString({}, key));
  }
  // fromEntries defines own properties: a property named `__proto__` is an argument like any other.
  return Object.fromEntries(entries);
}

function sampleArray(node: Schema, root: Schema, name: string, depth: number): unknown[] {
  const minItems = typeof node.minItems === 'number' ? node.minItems : 1;
  const maxItems = typeof node.maxItems === 'number' ? node.maxItems : Math.max(minItems, 1);
  const count = Math.min(Math.max(minItems, 1), maxItems, MAX_ARRAY_ITEMS, Math.max(valuesLeft, 0));
  const items = Array.from({ length: count }, () => sample(node.items ?? {}, root, name, depth + 1));
  // uniqueItems with a fixed item sample: one item is always unique.
  return node.uniqueItems === true ? items.slice(0, Math.max(minItems > 1 ? minItems : 1, 1)) : items;
}

const FORMATS: Record<string, string> = {
  'date-time': '2026-01-15T09:30:00Z',
  date: '2026-01-15',
  time: '09:30:00',
  email: 'ada@example.com',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  uuid: '123e4567-e89b-42d3-a456-426614174000',
  hostname: 'example.com',
  ipv4: '192.0.2.1',
};

function sampleString(node: Schema, name: string): string {
  if (typeof node.format === 'string' && Object.hasOwn(FORMATS, node.format)) return FORMATS[node.format]!;
  let value = `sample_${name}`;
  const minLength =
    typeof node.minLength === 'number' ? Math.min(node.minLength, MAX_STRING_LENGTH, charactersLeft) : 0;
  const maxLength = typeof node.maxLength === 'number' ? node.maxLength : Infinity;
  if (value.length < minLength) value += 'x'.repeat(minLength - value.length);
  charactersLeft -= value.length;
  return value.slice(0, Math.max(maxLength, 0));
}

function sampleNumber(node: Schema, integer: boolean): number {
  const minimum = typeof node.minimum === 'number' ? node.minimum : undefined;
  const maximum = typeof node.maximum === 'number' ? node.maximum : undefined;
  const exclusiveMinimum = typeof node.exclusiveMinimum === 'number' ? node.exclusiveMinimum : undefined;
  const exclusiveMaximum = typeof node.exclusiveMaximum === 'number' ? node.exclusiveMaximum : undefined;
  let low = minimum ?? (exclusiveMinimum !== undefined ? exclusiveMinimum + (integer ? 1 : 0.5) : undefined);
  const high =
    maximum ?? (exclusiveMaximum !== undefined ? exclusiveMaximum - (integer ? 1 : 0.5) : undefined);
  if (low === undefined) low = high !== undefined ? Math.min(1, high) : 1;
  let value = integer ? Math.ceil(low) : low;
  const multipleOf = typeof node.multipleOf === 'number' && node.multipleOf > 0 ? node.multipleOf : undefined;
  if (multipleOf) value = Math.ceil(value / multipleOf) * multipleOf;
  return value;
}

function resolveRef(ref: string, root: Schema): unknown {
  return resolvePointer(ref, root) ?? {};
}

function mergeAll(parts: unknown[], root: Schema): Schema {
  const merged: Schema = {};
  for (const part of parts) {
    const node = isSchema(part) && typeof part.$ref === 'string' ? resolveRef(part.$ref, root) : part;
    if (!isSchema(node)) continue;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'properties') {
        if (isSchema(value)) merged.properties = { ...(merged.properties as Schema), ...value };
      } else if (key === 'required') merged.required = [...names(merged.required), ...names(value)];
      else merged[key] = value;
    }
  }
  return merged;
}
