import { HTTPException } from 'hono/http-exception';
import type { ErrorResponse } from '../../shared/openai-types';

/** A 400 in OpenAI's error shape naming the parameter and why it was refused. */
export function queryParamError(param: string, why: string): HTTPException {
  const body: ErrorResponse = {
    error: {
      message: `Invalid '${param}': ${why}`,
      type: 'invalid_request_error',
      param,
      code: 'invalid_parameter',
    },
  };
  return new HTTPException(400, {
    res: new Response(JSON.stringify(body), { status: 400, headers: { 'content-type': 'application/json' } }),
  });
}
