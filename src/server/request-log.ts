import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../platform/logger';

/** Logs one line per request with its status and duration. Never logs headers or bodies: they can carry keys. */
export function requestLog(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const fields = {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    };
    if (c.res.status >= 500) logger.warn('request', fields);
    else logger.debug('request', fields);
  };
}
