import type { ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from '../platform/logger';
import { excerpt } from '../platform/request-input';
import { openAiError } from './security/openai-error';
import { refusedPath } from './security/refused-path';

/**
 * The whole server's last word on an error no route answered. A refusal thrown as an answer (a bad /api parameter)
 * is that answer. Anything else is a bug: logged once through the logger with where it happened, and answered 500
 * in OpenAI's error shape without the stack or anything of the request's input.
 */
export function serverErrorHandler(logger: Logger): ErrorHandler {
  return (error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    logger.error('request failed', {
      method: c.req.method,
      path: refusedPath(c),
      error: excerpt(error instanceof Error ? `${error.name}: ${error.message}` : String(error), 300),
      stack: error instanceof Error ? error.stack?.split('\n').slice(1, 8).join('\n') : undefined,
    });
    return openAiError(
      c,
      500,
      'The server had an error while processing your request. Sorry about that! The details are in the server log.',
      null,
    );
  };
}
