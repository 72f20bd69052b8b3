import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorResponse } from '../../shared/openai-types';

/** OpenAI's error envelope; the type follows the status as the API's does. */
export function openAiErrorBody(
  status: number,
  message: string,
  code: string | null,
  param: string | null = null,
): ErrorResponse {
  return {
    error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', param, code },
  };
}

/**
 * An answer in OpenAI's error envelope, so the dashboard and the SDK show Runboard's own refusals
 * (perimeter, proxy, `/api` parameters) the same way as the API's errors.
 */
export function openAiError(
  c: Context,
  status: ContentfulStatusCode,
  message: string,
  code: string | null,
  param: string | null = null,
): Response {
  return c.json<ErrorResponse>(openAiErrorBody(status, message, code, param), status);
}
