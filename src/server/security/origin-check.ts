import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from '../../platform/logger';
import { openAiError } from './openai-error';
import { refusedPath } from './refused-path';

declare module 'hono' {
  interface ContextVariableMap {
    /** A write's Origin, once the origin check found it to be one of Runboard's pages. */
    runboardPageOrigin: string;
  }
}

/**
 * Whether a write came from one of Runboard's pages: its Origin (set by the browser; no script can set or fake it)
 * passed the origin check. A write without an Origin comes from an API client (the SDK, curl).
 */
export function isWriteFromRunboardPage(c: Context): boolean {
  return c.get('runboardPageOrigin') !== undefined;
}

/**
 * Whether a request, a read included, came from one of Runboard's own pages: the browser marks it
 * `Sec-Fetch-Site: same-origin` (a page cannot set or fake it, and API clients do not send it), or it is a write
 * whose Origin passed the origin check.
 */
export function isFromRunboardPage(c: Context): boolean {
  return c.req.header('sec-fetch-site') === 'same-origin' || isWriteFromRunboardPage(c);
}

/** Reads never change anything, and a foreign page cannot read our answers without CORS. */
const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * The server's own origins: every allowed host name with the port actually listened on. Derived from configuration,
 * never from the request's Host header: under DNS rebinding Host and Origin agree (Hono csrf()'s trap).
 */
export function serverOrigins(hostNames: readonly string[], port: number): string[] {
  return hostNames.flatMap((name) => {
    const origin = `http://${name.toLowerCase()}:${port}`;
    // Browsers leave the default port out of Origin.
    return port === 80 ? [origin, `http://${name.toLowerCase()}`] : [origin];
  });
}

export interface OriginCheckOptions {
  hostNames: readonly string[];
  /** Exact extra origins (RUNBOARD_ALLOWED_ORIGINS), e.g. a TLS reverse proxy's `https://runboard.example`. */
  extraOrigins: readonly string[];
  /** Read per request: with PORT=0 the port is known only once the server listens. */
  listeningPort: () => number;
  logger: Logger;
}

/**
 * Cross-site write defence: a non-GET request that carries an Origin must come from one of our own origins
 * (scheme, host and port exactly). Requests without Origin are not from a browser page (SDK, curl) and pass.
 */
export function originCheck({
  hostNames,
  extraOrigins,
  listeningPort,
  logger,
}: OriginCheckOptions): MiddlewareHandler {
  let cachedPort = -1;
  let allowed = new Set<string>();
  const allowedOrigins = () => {
    const port = listeningPort();
    if (port !== cachedPort) {
      cachedPort = port;
      allowed = new Set([...serverOrigins(hostNames, port), ...extraOrigins]);
    }
    return allowed;
  };
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (SAFE_METHODS.has(c.req.method) || origin === undefined) return next();
    if (allowedOrigins().has(origin)) {
      c.set('runboardPageOrigin', origin);
      return next();
    }
    logger.warn('refused a cross-origin write', { method: c.req.method, path: refusedPath(c) });
    return openAiError(
      c,
      403,
      `Blocked request: ${c.req.method} from the origin '${origin.slice(0, 100)}' is not allowed. Runboard accepts ` +
        'changes only from its own pages; add other origins to RUNBOARD_ALLOWED_ORIGINS.',
      'runboard_origin_not_allowed',
    );
  };
}
