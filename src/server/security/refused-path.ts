import type { Context } from 'hono';

/** The request path as sent (still percent-encoded, so no control characters), short enough for one log line. */
export function refusedPath(c: Context): string {
  return new URL(c.req.url).pathname.slice(0, 200);
}
