import * as z from 'zod';
import { FILE_SEARCH_RESULT_CONTENT } from '../run-step-includes';
import { idOf, integer } from './request-fields';

/** A query parameter given twice reads as its first value, as `c.req.query(name)` reads it. */
const first = (value: unknown) => (Array.isArray(value) ? value[0] : value);

/**
 * A number in decimal digits only (`Number()` would also take ' 5', '5.0', '0x10' and '1e2'); anything else stays a
 * string, refused as not an integer.
 */
const fromDigits = (value: unknown) => {
  const raw = first(value);
  return typeof raw === 'string' && /^\d{1,16}$/.test(raw) && Number.isSafeInteger(Number(raw))
    ? Number(raw)
    : raw;
};

/** An empty cursor reads as none. */
const cursor = (prefix: string) =>
  z.preprocess(
    first,
    z
      .string()
      .optional()
      .transform((value) => (value === '' ? undefined : value))
      .pipe(idOf(prefix).optional()),
  );

/** `limit` from 1 to `max`, `fallback` when absent. */
export const limitParam = (max: number, fallback: number) =>
  z.preprocess(
    fromDigits,
    integer({ min: 1, max })
      .optional()
      .transform((limit) => limit ?? fallback),
  );

/** `order`: `asc` or `desc` (the default). */
export const orderParam = z.preprocess(first, z.enum(['asc', 'desc']).default('desc'));

/** A query parameter given twice reads as its first value; an empty one as none. */
export const firstOrNone = (value: unknown) => {
  const raw = first(value);
  return raw === '' ? undefined : raw;
};

/** `limit` (1–100, default 20), `order` (default desc), `after` / `before` cursors of the listed objects' kind. */
export const listQuery = (cursorPrefix: string) =>
  z.object({
    limit: limitParam(100, 20),
    order: orderParam,
    after: cursor(cursorPrefix),
    before: cursor(cursorPrefix),
  });

export type ListQuery = z.output<ReturnType<typeof listQuery>>;

/** The one value OpenAI's run step routes accept in `include[]` (list and get). */
export const RUN_STEP_INCLUDES = [FILE_SEARCH_RESULT_CONTENT] as const;

const values = z.preprocess((value) => (value === undefined ? [] : [value].flat()), z.array(z.string()));

/**
 * `include[]` on the run step routes (the SDK sends `include[]=…`; a bare `include=…` is read the same way). Every
 * value must be the one OpenAI supports. The emulator runs no file search, so no step has results to fill in.
 */
export const stepIncludeQuery = z
  .object({ 'include[]': values, include: values })
  .transform((query) => ({ include: [...query['include[]'], ...query.include] }))
  .pipe(z.object({ include: z.array(z.enum(RUN_STEP_INCLUDES)) }));

/** Messages list: the list parameters and an optional `run_id` filter (empty reads as none). */
export const messageListQuery = listQuery('msg').extend({ run_id: cursor('run') });

/** Run steps list: the list parameters and `include[]`. */
export const stepListQuery = z.intersection(listQuery('step'), stepIncludeQuery);
