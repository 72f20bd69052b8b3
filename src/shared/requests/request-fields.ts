import * as z from 'zod';
import { METADATA_LIMITS } from '../openai-types';

/**
 * The building blocks of the `/v1` request schemas. Zod's own issues (a wrong type, a missing field, a string or
 * array too long, a number out of range, a value not among the allowed ones, an unknown field) are worded as OpenAI
 * words them by the server's error map; what zod cannot say is a `refusal` the schema words itself.
 */

/** A refusal worded by the schema: its message (given the parameter's name and a way to quote input) and code. */
export interface Refusal {
  code: string;
  word: (param: string, quote: (value: string) => string) => string;
  /** Where, below the checked value, the refusal points (`type` of a content part). */
  at?: string;
}

type CheckContext = z.core.ParsePayload<unknown>;

/** Adds a refusal to a `.check()`; the server's error map answers it as worded, with its path as `param`. */
export function refuse(ctx: CheckContext, refusal: Refusal): void {
  ctx.issues.push({
    code: 'custom',
    input: ctx.value,
    params: { refusal },
    ...(refusal.at !== undefined && { path: [refusal.at] }),
  });
}

/** Every optional field of these requests is nullable: absent and null both leave it unset. */
export const optional = <T extends z.ZodType>(schema: T) => schema.nullish();

/** Drops the fields given as null (or left undefined): in a request they read as absent, and are not stored. */
export function withoutNulls<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], null> } {
  return Object.fromEntries(
    Object.entries(value).filter(([, field]) => field !== null && field !== undefined),
  ) as { [K in keyof T]?: Exclude<T[K], null> };
}

/**
 * An integer (any size JSON carries, not only safe ones), refused as OpenAI does: `expected an integer` for any other
 * value, `integer below minimum value` out of range.
 */
export function integer({ min, max }: { min?: number; max?: number } = {}) {
  return z.unknown().transform((value, ctx): number => {
    if (typeof value !== 'number' || !Number.isInteger(value))
      ctx.issues.push({ code: 'invalid_type', expected: 'int', input: value });
    else if (min !== undefined && value < min)
      ctx.issues.push({ code: 'too_small', origin: 'int', minimum: min, inclusive: true, input: value });
    else if (max !== undefined && value > max)
      ctx.issues.push({ code: 'too_big', origin: 'int', maximum: max, inclusive: true, input: value });
    return value as number;
  });
}

/** A number with bounds, refused as OpenAI does: `decimal above maximum value`. */
export function decimal({ min, max }: { min: number; max: number }) {
  return z.number().min(min).max(max);
}

/**
 * A string-keyed map of at most 16 pairs with keys ≤ 64 characters (OpenAI's limits and codes for `metadata` and a
 * vector store file's `attributes`), each value checked by `value`.
 */
export function keyValueMap<V extends z.ZodType>(value: V) {
  return keepingEveryKey(z.record(z.string(), z.unknown()))
    .check((ctx) => {
      const names = Object.keys(ctx.value);
      if (names.length > METADATA_LIMITS.maxPairs) {
        return refuse(ctx, {
          code: 'object_above_max_properties',
          word: (param) =>
            `Invalid '${param}': too many properties. Expected an object with at most ${METADATA_LIMITS.maxPairs} properties, but got an object with ${names.length} properties instead.`,
        });
      }
      const long = names.find((name) => name.length > METADATA_LIMITS.maxKeyLength);
      if (long !== undefined) {
        refuse(ctx, {
          code: 'property_name_above_max_length',
          word: (param) =>
            `Invalid '${param}': property name too long. Expected a property name with maximum length ${METADATA_LIMITS.maxKeyLength}, but got a property name with length ${long.length} instead.`,
        });
      }
    })
    .pipe(z.record(z.string(), value));
}

/** Metadata: a string→string map of at most 16 pairs, keys ≤ 64 characters, values ≤ 512 (OpenAI's limits and codes). */
export const metadata = keyValueMap(z.string().max(METADATA_LIMITS.maxValueLength));

/** An object the API stores as given (`tool_resources`, a JSON Schema). */
export const jsonObject = keepingEveryKey(z.record(z.string(), z.unknown()));

/**
 * zod's records drop an own `__proto__` key (against prototype pollution): an object holding one is refused, so
 * nothing a client sent is stored without it.
 */
function keepingEveryKey<T extends z.ZodType>(record: T) {
  return z
    .unknown()
    .check((ctx) => {
      if (ctx.value !== null && typeof ctx.value === 'object' && Object.hasOwn(ctx.value, '__proto__'))
        refuse(ctx, {
          code: 'invalid_value',
          word: (param) => `Invalid '${param}': the key '__proto__' cannot be stored. Use another key.`,
        });
    })
    .pipe(record);
}

/** Ids carry their object's prefix (`thread_…`), as OpenAI checks before looking them up. */
export function idOf(prefix: string) {
  return z.string().check((ctx) => {
    if (ctx.value.startsWith(`${prefix}_`) && /^[A-Za-z0-9_-]+$/.test(ctx.value)) return;
    refuse(ctx, {
      code: 'invalid_value',
      word: (param, quote) =>
        `Invalid '${param}': '${quote(ctx.value)}'. Expected an ID that begins with '${prefix}'.`,
    });
  });
}

/** An assistant's `instructions` hold at most 256,000 characters (the spec); a run's (and its additional ones) too. */
export const MAX_INSTRUCTIONS = 256_000;
