import { HTTPException } from 'hono/http-exception';
import { openAiErrorBody } from '../security/openai-error';

/** A 400 in OpenAI's error shape naming the parameter and why it was refused. */
export function queryParamError(param: string, why: string): HTTPException {
  const body = openAiErrorBody(400, `Invalid '${param}': ${why}`, 'invalid_parameter', param);
  return new HTTPException(400, { res: Response.json(body, { status: 400 }) });
}
