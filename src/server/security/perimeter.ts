import type { Hono } from 'hono';
import type { ServerConfig } from '../config';
import type { Logger } from '../../platform/logger';
import { accessToken } from './access-token';
import { isWildcardHost } from './bind-policy';
import { hostAllowlist, LOOPBACK_HOST_NAMES } from './host-allowlist';
import { crossSiteCheck } from './cross-site-check';
import { originCheck } from './origin-check';
import { requestBodyLimit } from './request-body-limit';
import { securityHeaders } from './security-headers';

export interface PerimeterOptions {
  config: Pick<ServerConfig, 'host' | 'token' | 'allowedHosts' | 'allowedOrigins' | 'proxy'>;
  logger: Logger;
  /** The port actually listened on (PORT=0 is resolved only after listen). */
  listeningPort: () => number;
}

/** Every Host name Runboard answers to: loopback names, the bind address when it names one host, configured names. */
export function allowedHostNames(config: PerimeterOptions['config']): string[] {
  const bindHost =
    config.host.includes(':') && !config.host.startsWith('[') ? `[${config.host}]` : config.host;
  const names = [
    ...LOOPBACK_HOST_NAMES,
    ...(isWildcardHost(config.host) ? [] : [bindHost]),
    ...config.allowedHosts,
  ];
  return [...new Set(names.map((name) => name.toLowerCase()))];
}

/**
 * The checks every request passes before anything else runs (pages, assets, /api, /v1), in this order:
 * Host allowlist, cross-site requests to the API, Origin on writes, access token, body size. Protective headers go on every answer, refusals included.
 */
export function installPerimeter(app: Hono, { config, logger, listeningPort }: PerimeterOptions): void {
  const hostNames = allowedHostNames(config);
  app.use(securityHeaders());
  app.use(hostAllowlist(hostNames, logger));
  app.use(crossSiteCheck(logger, config.allowedOrigins));
  app.use(originCheck({ hostNames, extraOrigins: config.allowedOrigins, listeningPort, logger }));
  if (config.token !== null) app.use(accessToken(config.token, logger));
  // A file upload is streamed and bounded (512 MB) by whoever answers it: the embedded server, or the proxy.
  app.use(requestBodyLimit({ streamedUploads: true }));
}
