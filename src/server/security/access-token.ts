import type { MiddlewareHandler } from 'hono';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Logger } from '../../platform/logger';
import { isApiPath } from './api-path';
import { DOWNLOAD_LINK_PARAM, downloadLinks } from './download-link';
import { openAiError } from './openai-error';
import { refusedPath } from './refused-path';

export const TOKEN_HEADER = 'x-runboard-token';

/**
 * With RUNBOARD_TOKEN set, every API request (and any non-GET) must carry it in `x-runboard-token`. A header, never
 * a cookie: cookies are shared by every port of localhost and sent by the browser on cross-site requests. The one
 * exception is a download link the dashboard was given with the header (`download-link.ts`): GETs of one file's
 * content, for a minute.
 */
export function accessToken(token: string, logger: Logger): MiddlewareHandler {
  const expected = digest(token);
  const links = downloadLinks(token);
  return async (c, next) => {
    const needsToken = isApiPath(c.req.path) || (c.req.method !== 'GET' && c.req.method !== 'HEAD');
    if (!needsToken) return next();
    // The raw path, as signed and as the proxy forwards it: `c.req.path` is percent-decoded.
    if (c.req.method === 'GET' && links.opens(new URL(c.req.url).pathname, c.req.query(DOWNLOAD_LINK_PARAM)))
      return next();
    const sent = c.req.header(TOKEN_HEADER);
    // Digests have equal lengths, so the comparison takes the same time whatever was sent.
    if (sent !== undefined && timingSafeEqual(digest(sent), expected)) return next();
    logger.warn('refused a request without a valid access token', {
      method: c.req.method,
      path: refusedPath(c),
    });
    return openAiError(
      c,
      401,
      sent === undefined
        ? `This Runboard server requires its access token (RUNBOARD_TOKEN) in the ${TOKEN_HEADER} header.`
        : `The access token in the ${TOKEN_HEADER} header is not this server's RUNBOARD_TOKEN.`,
      'runboard_token_required',
    );
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
