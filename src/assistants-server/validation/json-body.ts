import type { Context } from 'hono';
import { badRequest } from '../api-error';
import { describeType } from './openai-refusals';

export type JsonObject = Record<string, unknown>;

const UNPARSABLE_BODY =
  "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. " +
  'The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix ' +
  'this, please contact us through our help center at help.openai.com.)';

/** Deeper bodies are refused: nothing in the API nests this far, and deeper values overflow the stack when stored. */
export const MAX_JSON_DEPTH = 64;

/** Reads the request body as a JSON object; an empty body reads as `{}` (cancel is sent without one). */
export async function readJsonObject(c: Context): Promise<JsonObject> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest(UNPARSABLE_BODY);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badRequest(
      `Invalid body: expected a JSON object, but got ${describeType(parsed)} instead.`,
      null,
      'invalid_type',
    );
  }
  const found = refusedShape(parsed, MAX_JSON_DEPTH);
  if (found === 'too_deep') {
    throw badRequest(
      `Invalid body: the JSON is nested too deeply. Expected at most ${MAX_JSON_DEPTH} levels of objects and arrays.`,
      null,
      'invalid_value',
    );
  }
  if (found !== null) {
    throw badRequest(
      `Invalid '${found.path}': the ${found.inKey ? 'key' : 'string'} contains the null character (U+0000), which cannot be stored. Remove it.`,
      found.path,
      'invalid_value',
    );
  }
  return parsed as JsonObject;
}

/**
 * Where a body nests deeper than `limit`, or the first string (value or key) holding U+0000, with its path: neither
 * store keeps it the same (PostgreSQL's jsonb and text cannot hold it at all), so `/v1` refuses it on both. Iterative,
 * so the check itself cannot overflow the stack.
 */
function refusedShape(root: unknown, limit: number): 'too_deep' | { path: string; inKey: boolean } | null {
  const pending: [unknown, number, string][] = [[root, 1, '']];
  while (pending.length > 0) {
    const [value, depth, path] = pending.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { path, inKey: false };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth > limit) return 'too_deep';
    if (Array.isArray(value)) {
      value.forEach((child, index) => pending.push([child, depth + 1, `${path}[${index}]`]));
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) return { path: childPath.replaceAll('\u0000', '\\u0000'), inKey: true };
      pending.push([child, depth + 1, childPath]);
    }
  }
  return null;
}
