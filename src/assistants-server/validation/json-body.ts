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
  if (depthExceeds(parsed, MAX_JSON_DEPTH)) {
    throw badRequest(
      `Invalid body: the JSON is nested too deeply. Expected at most ${MAX_JSON_DEPTH} levels of objects and arrays.`,
      null,
      'invalid_value',
    );
  }
  return parsed as JsonObject;
}

/** Iterative, so the check itself cannot overflow the stack. */
function depthExceeds(root: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[root, 1]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(value)) pending.push([child, depth + 1]);
  }
  return false;
}
