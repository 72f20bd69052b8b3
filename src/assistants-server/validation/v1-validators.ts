import type { Env } from 'hono';
import { createMiddleware } from 'hono/factory';
import { validator } from 'hono/validator';
import type * as z from 'zod';
import { pathParams } from '../../shared/requests/path-params';
import { readJsonObject } from './json-body';
import { refusalOf } from './openai-refusals';

/**
 * Validation at the edge of `/v1`: each route declares what it reads (`jsonBody(createRunRequest)`, `query(…)`,
 * `pathIds`) and its handler gets the parsed value from `c.req.valid(…)`, typed by the schema. A refusal is a 400
 * in OpenAI's words (`openai-refusals.ts`), answered before the handler runs.
 */
export function parseRequest<S extends z.ZodType>(
  schema: S,
  value: unknown,
  root: PropertyKey[] = [],
): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) throw refusalOf(result.error.issues, root);
  return result.data;
}

/**
 * The JSON body. Read whatever the content type says (as OpenAI did), an empty body as `{}`, and refused in OpenAI's
 * words when it is not JSON, not an object or nested too deeply (`json-body.ts`); Hono's `json` target would
 * answer those itself.
 */
export function jsonBody<S extends z.ZodType>(schema: S) {
  return createMiddleware<Env, string, { in: { json: z.input<S> }; out: { json: z.output<S> } }>(
    async (c, next) => {
      c.req.addValidatedData('json', parseRequest(schema, await readJsonObject(c)) as object);
      await next();
    },
  );
}

export function query<S extends z.ZodType>(schema: S) {
  return validator('query', (value) => parseRequest(schema, value) as z.output<S>);
}

/** The ids in the path (`thread_id`, `run_id`, …), each with its object's prefix. */
export const pathIds = validator('param', (value) => parseRequest(pathParams, value));
