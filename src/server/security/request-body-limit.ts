import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { openAiError } from './openai-error';

/** Fastify's default; Hono has none. The API's largest legitimate bodies (tool outputs) are far below it. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

export function requestBodyLimit(): MiddlewareHandler {
  return bodyLimit({
    maxSize: MAX_REQUEST_BODY_BYTES,
    onError: (c) =>
      openAiError(
        c,
        413,
        `The request body is larger than Runboard's limit of 1 MiB (${MAX_REQUEST_BODY_BYTES} bytes).`,
        'request_body_too_large',
      ),
  });
}
