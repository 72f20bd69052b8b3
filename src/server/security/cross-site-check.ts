import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../../platform/logger';
import { isApiPath } from './api-path';
import { openAiError } from './openai-error';
import { refusedPath } from './refused-path';

/**
 * Reads are not origin-checked (a foreign page cannot read the answer without CORS), but a read can still cost the
 * server (a heavy search) or be aimed at it from any web page (`<img src>`). Browsers say where a request comes from
 * in `Sec-Fetch-Site`, which no page can set: `/api` and `/v1` refuse `cross-site`. `same-origin`, `same-site` (another
 * port of localhost), `none` (typed in the address bar; the SDK sends it too) and an absent header (curl, older
 * clients) pass, and so do pages of the origins in RUNBOARD_ALLOWED_ORIGINS (their Origin is sent with the request).
 */
export function crossSiteCheck(logger: Logger, extraOrigins: readonly string[]): MiddlewareHandler {
  const allowed = new Set(extraOrigins);
  return async (c, next) => {
    if (c.req.header('sec-fetch-site') !== 'cross-site' || !isApiPath(c.req.path)) return next();
    // A page on another site the operator allowed by name (RUNBOARD_ALLOWED_ORIGINS) may call the API.
    const origin = c.req.header('origin');
    if (origin !== undefined && allowed.has(origin)) return next();
    logger.warn('refused a cross-site request', { method: c.req.method, path: refusedPath(c) });
    return openAiError(
      c,
      403,
      `Blocked request: ${c.req.method} ${refusedPath(c).slice(0, 100)} came from another site (Sec-Fetch-Site: ` +
        'cross-site). Runboard answers its API only to its own pages and to API clients.',
      'runboard_cross_site_refused',
    );
  };
}
