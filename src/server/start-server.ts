import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ServerConfig } from './config';
import type { Logger } from '../platform/logger';
import { createApp } from './app';
import { createBackend } from './backend';
import { openAuditStore } from './audit/audit-store';
import { assertBindAllowed, isLoopbackHost } from './security/bind-policy';
import { allowedHostNames } from './security/perimeter';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export async function startServer(
  config: ServerConfig,
  logger: Logger,
  options: { dashboardDir: string | null; version?: string },
): Promise<RunningServer> {
  assertBindAllowed(config);
  if (!config.proxy && config.dbPath !== ':memory:') mkdirSync(dirname(config.dbPath), { recursive: true });
  const backend = createBackend(config, logger);
  const audit = openAuditStore(config.auditDbPath, config.auditMaxEntries);
  let listeningPort = config.port;
  const app = createApp({ config, logger, backend, audit, listeningPort: () => listeningPort, ...options });

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const instance = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () =>
      resolve(instance),
    );
    instance.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  listeningPort = port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  logger.info('Runboard is listening', {
    url,
    backend: backend.mode,
    upstream: backend.upstreamHost ?? undefined,
  });
  if (!isLoopbackHost(config.host)) {
    logger.info('Reachable beyond this machine: every API request needs the access token', {
      acceptedHosts: allowedHostNames(config).join(','),
    });
  }

  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        // Streamed answers and change-feed streams never go idle: end them, or close() would wait for the browsers.
        backend.closeStreams();
        server.close(() => {
          backend.close();
          audit.close();
          resolve();
        });
        // Polling browsers keep idle connections open; without this close() would wait for them.
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      }),
  };
}
