import type { ErrorHandler } from 'hono';
import type { Logger } from '../../platform/logger';
import { EmulatorApiError } from '../api-error';

/** Refusals answer in OpenAI's error shape; anything unexpected is logged and answered as a 500 in the same shape. */
export function errorHandler(logger: Logger): ErrorHandler {
  return (error, c) => {
    if (error instanceof EmulatorApiError) return c.json(error.toBody(), error.status);
    logger.error('Emulator request failed', {
      method: c.req.method,
      path: c.req.path,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    return c.json(
      {
        error: {
          message: 'The emulator had an internal error while processing your request.',
          type: 'server_error',
          param: null,
          code: null,
        },
      },
      500,
    );
  };
}
