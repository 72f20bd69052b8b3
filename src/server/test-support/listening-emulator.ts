import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { AssistantsServer } from '../../assistants-server/assistants-server';
import { createQuietAssistantsServer } from '../../assistants-server/test-support/quiet-server';
import { silentLogger } from '../../platform/logger';
import { createApp } from '../app';
import { openAuditStore } from '../audit/audit-store';
import { loadConfig } from '../config';

export interface ListeningEmulator {
  /** `http://127.0.0.1:<port>`; the SDK's base URL is this + `/v1`. */
  url: string;
  emulator: AssistantsServer;
  /** Moves emulator time forward through the admin route, over HTTP. */
  advance(seconds: number): Promise<void>;
  /** Closes open streams, then the server, then the emulator, as the real server shuts down. */
  close(): Promise<void>;
}

/**
 * The real app (perimeter, audit trail, /v1, admin routes) with an emulator the test can reach, listening on a free
 * loopback port: for clients that make their own HTTP requests (Experts.js) and for what only a socket shows
 * (a client that disconnects).
 */
export async function startListeningEmulator(
  options: { timeScale?: number; frozenWallClockMs?: number } = {},
): Promise<ListeningEmulator> {
  const config = loadConfig({ PORT: '0', RUNBOARD_DB: ':memory:', RUNBOARD_SEED: 'none' });
  const emulator = await createQuietAssistantsServer(options);
  const audit = openAuditStore(':memory:');
  let port = 0;
  const app = createApp({
    config,
    logger: silentLogger,
    backend: {
      mode: 'emulator',
      api: emulator.api,
      admin: emulator.admin,
      capabilities: { listThreads: true, emulatorAdmin: true },
      upstreamHost: null,
      executor: emulator.executor,
    },
    audit,
    dashboardDir: null,
    listeningPort: () => port,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const instance = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(instance));
    instance.once('error', reject);
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    emulator,
    async advance(seconds) {
      const response = await fetch(`${url}/api/emulator/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advance_seconds: seconds }),
      });
      if (!response.ok) throw new Error(`clock advance failed: ${response.status}`);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        emulator.closeStreams();
        server.close(() => {
          emulator.close().then(() => {
            audit.close();
            resolve();
          }, reject);
        });
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      }),
  };
}
