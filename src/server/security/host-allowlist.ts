import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../../platform/logger';
import { openAiError } from './openai-error';
import { refusedPath } from './refused-path';

/** The names every Runboard answers to, on any port. */
export const LOOPBACK_HOST_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/** A Host header: a name or IPv4 address, or a bracketed IPv6 address; then an optional port. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?)(?::(\d{1,5}))?$/;

/** The host name of a Host header, lowercased, or null when the header is not a well-formed host[:port]. */
export function hostNameOf(hostHeader: string): string | null {
  const match = HOST_HEADER.exec(hostHeader.toLowerCase());
  if (!match) return null;
  const port = match[2];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return null;
  return match[1]!;
}

/**
 * DNS rebinding defence (Vite's, webpack-dev-server's): a page on attacker.example that rebinds its name to
 * 127.0.0.1 still sends `Host: attacker.example`. Only the exact allowed names pass; an empty or malformed Host fails.
 */
export function hostAllowlist(allowedNames: readonly string[], logger: Logger): MiddlewareHandler {
  const allowed = new Set(allowedNames.map((name) => name.toLowerCase()));
  return async (c, next) => {
    // In-process requests (app.request in tests) carry no Host header; over the network Node requires one
    // (HTTP/1.1), and without it the URL's host is the bind address.
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    const name = hostNameOf(host);
    if (name !== null && allowed.has(name)) return next();
    logger.warn('refused a request for a host that is not allowed', {
      method: c.req.method,
      path: refusedPath(c),
    });
    return openAiError(
      c,
      403,
      `Blocked request: the host '${host.slice(0, 100)}' is not allowed. Runboard answers only to ${[...allowed].join(', ')}; ` +
        'add other names to RUNBOARD_ALLOWED_HOSTS.',
      'runboard_host_not_allowed',
    );
  };
}
