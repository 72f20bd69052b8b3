import { METADATA_LIMITS, type Metadata } from '../../shared/openai-types';
import { badRequest } from '../api-error';
import { asObject, describeType } from './field-rules';
import type { JsonObject } from './json-body';

/** Metadata: a string→string map of at most 16 pairs, keys ≤ 64 characters, values ≤ 512 (OpenAI's limits and codes). */
export function optionalMetadata(body: JsonObject, key = 'metadata'): Metadata | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  const map = asObject(value, key);
  const entries = Object.entries(map);
  if (entries.length > METADATA_LIMITS.maxPairs) {
    throw badRequest(
      `Invalid '${key}': too many properties. Expected an object with at most ${METADATA_LIMITS.maxPairs} properties, but got an object with ${entries.length} properties instead.`,
      key,
      'object_above_max_properties',
    );
  }
  for (const [name, entry] of entries) {
    if (name.length > METADATA_LIMITS.maxKeyLength) {
      throw badRequest(
        `Invalid '${key}': property name too long. Expected a property name with maximum length ${METADATA_LIMITS.maxKeyLength}, but got a property name with length ${name.length} instead.`,
        key,
        'property_name_above_max_length',
      );
    }
    const path = `${key}.${name}`;
    if (typeof entry !== 'string') {
      throw badRequest(
        `Invalid type for '${path}': expected a string, but got ${describeType(entry)} instead.`,
        path,
        'invalid_type',
      );
    }
    if (entry.length > METADATA_LIMITS.maxValueLength) {
      throw badRequest(
        `Invalid '${path}': string too long. Expected a string with maximum length ${METADATA_LIMITS.maxValueLength}, but got a string with length ${entry.length} instead.`,
        path,
        'string_above_max_length',
      );
    }
  }
  return map as Metadata;
}
