import type { MiddlewareHandler } from 'hono';

/**
 * For the built dashboard: Vite emits external module scripts and stylesheets only, so no 'unsafe-inline' is needed.
 * React and TanStack Virtual set element styles through the CSSOM (element.style), which style-src does not govern.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

const HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  // Other sites may not even embed our answers as no-cors subresources.
  'cross-origin-resource-policy': 'same-origin',
};

/** Sets the protective headers on every answer, refusals included, and strips any CORS header: no CORS, ever. */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    try {
      protect(c.res.headers);
    } catch {
      // Some responses (fetch results, Response.redirect) have immutable headers: protect a copy instead.
      c.res = new Response(c.res.body, c.res);
      protect(c.res.headers);
    }
  };
}

function protect(headers: Headers): void {
  for (const name of [...headers.keys()]) {
    if (name.startsWith('access-control-')) headers.delete(name);
  }
  for (const [name, value] of Object.entries(HEADERS)) headers.set(name, value);
}
