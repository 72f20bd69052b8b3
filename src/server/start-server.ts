import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ServerConfig } from './config';
import type { Logger } from '../platform/logger';
import { createApp } from './app';
import { createBackend } from './backend';
import { openAuditStore } from './audit/audit-store';
import { lockDatabaseFile, type DatabaseLock } from './database-lock';
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
  const lock = lockOwnDatabase(config);
  let backend;
  try {
    backend = await createBackend(config, logger);
  } catch (error) {
    lock?.release();
    throw error;
  }
  const audit = openAuditStore(config.auditDbPath, config.auditMaxEntries);
  let listeningPort = config.port;
  const app = createApp({ config, logger, backend, audit, listeningPort: () => listeningPort, ...options });

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const instance = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () =>
      resolve(instance),
    );
    instance.once('error', reject);
  }).catch(async (error: unknown) => {
    await backend.close();
    audit.close();
    lock?.release();
    throw error;
  });
  const { port } = server.address() as AddressInfo;
  listeningPort = port;
  const url = `http://${hostInUrl(config.host)}:${port}`;
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
          void backend.close().finally(() => {
            audit.close();
            lock?.release();
            resolve();
          });
        });
        // Polling browsers keep idle connections open; without this close() would wait for them.
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      }),
  };
}

/**
 * The SQLite file this server writes its runs to (the emulator's database; in proxy mode the index of watched runs)
 * belongs to one process at a time: a second server on it refuses to start (see database-lock.ts). A PostgreSQL
 * database (`RUNBOARD_DATABASE_URL`) is shared by several instances: nothing to lock.
 */
function lockOwnDatabase(config: ServerConfig): DatabaseLock | null {
  if (config.database && !config.proxy) return null;
  const file = config.proxy ? config.indexDbPath : config.dbPath;
  if (file === ':memory:') return null;
  mkdirSync(dirname(file), { recursive: true });
  return lockDatabaseFile(
    file,
    `${hostInUrl(config.host)}:${config.port}`,
    config.proxy ? 'RUNBOARD_INDEX_DB' : 'RUNBOARD_DB',
  );
}

function hostInUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
