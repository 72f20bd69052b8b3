import type { HTTPException } from 'hono/http-exception';
import { validator } from 'hono/validator';
import type * as z from 'zod';
import { queryParamError } from './query-param-error';

/**
 * Hono's query validator for the `/api` read routes: the handler takes the parsed query from `c.req.valid('query')`.
 * The values are read as the URL standard decodes them (`new URL().searchParams`: a malformed escape stays as
 * written), a repeated name as a list.
 */
export function apiQuery<S extends z.ZodType>(schema: S) {
  return validator('query', (_decodedByHono, c): z.output<S> => {
    const params = searchParamsOf(c.req.url);
    const result = schema.safeParse(params, { reportInput: true });
    if (!result.success) throw refusalOf(result.error.issues, c.req.url);
    return result.data;
  });
}

function searchParamsOf(url: string): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of new URL(url).searchParams) {
    const seen = params[name];
    params[name] = seen === undefined ? value : [seen, value].flat();
  }
  return params;
}

/**
 * The first refusal, `Invalid 'x': why`. A parameter the route does not take, or a single one given again, is found
 * as the query string is read, so the first of those in its order wins (a repeat counts where it is repeated); then
 * the first bad value.
 */
function refusalOf(issues: readonly z.core.$ZodIssue[], url: string): HTTPException {
  const refusal = (issue: z.core.$ZodIssue) =>
    (issue.code === 'custom' ? issue.params : undefined) as
      { why?: string; read?: 'name' | 'repeat' } | undefined;
  const names = [...new URL(url).searchParams.keys()];
  const position = (candidate: z.core.$ZodIssue) => {
    const name = String(candidate.path[0]);
    const first = names.indexOf(name);
    return refusal(candidate)?.read === 'repeat' ? names.indexOf(name, first + 1) : first;
  };
  const [structural] = issues
    .filter((candidate) => refusal(candidate)?.read !== undefined)
    .sort((a, b) => position(a) - position(b));
  const issue = structural ?? issues[0]!;
  return queryParamError(
    issue.path.map(String).join('.'),
    refusal(issue)?.why ?? 'not a value this route takes.',
  );
}
