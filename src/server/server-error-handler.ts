import type { ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from '../platform/logger';
import { excerpt } from '../platform/request-input';
import { openAiError } from './security/openai-error';
import { refusedPath } from './security/refused-path';
import { databaseUnavailableReason } from '../assistants-server/store/database-unavailable';
import { DATABASE_UNAVAILABLE, type StoreDescription } from '../shared/runboard-types';
import { storeLabel } from './health/store-description';

/**
 * The whole server's last word on an error no route answered. A refusal thrown as an answer (a bad /api parameter)
 * is that answer. A database that does not answer (`store`'s: down, restarting, out of reach) is a 503 naming it and
 * the driver's reason, code `database_unavailable`: the dashboard keeps its data on screen with that reason, and
 * retries. Anything else is a bug: logged once through the logger with where it happened, and answered 500 in
 * OpenAI's error shape without the stack or anything of the request's input.
 */
export function serverErrorHandler(logger: Logger, store?: StoreDescription): ErrorHandler {
  return (error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    const unavailable = store ? databaseUnavailableReason(error) : null;
    if (store && unavailable !== null) {
      logger.warn('the database did not answer', { path: refusedPath(c), reason: excerpt(unavailable, 300) });
      return openAiError(
        c,
        503,
        `The database (${storeLabel(store)}) did not answer: ${excerpt(unavailable, 300)}.`,
        DATABASE_UNAVAILABLE,
      );
    }
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
