import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorResponse } from '../../shared/openai-types';

/**
 * An answer in OpenAI's error envelope, so the dashboard and the SDK show Runboard's own refusals
 * (perimeter, proxy) the same way as the API's errors.
 */
export function openAiError(
  c: Context,
  status: ContentfulStatusCode,
  message: string,
  code: string | null,
  type = status >= 500 ? 'server_error' : 'invalid_request_error',
): Response {
  return c.json<ErrorResponse>({ error: { message, type, param: null, code } }, status);
}
