import { afterEach, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../../platform/logger';
import { startServer, type RunningServer } from '../start-server';

/** The perimeter as a real listening server sees it: raw request lines and headers, a port chosen at listen. */

let server: RunningServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

function start(env: Record<string, string>): Promise<RunningServer> {
  const config = loadConfig({ PORT: '0', RUNBOARD_DB: ':memory:', RUNBOARD_SEED: 'none', ...env });
  return startServer(config, createLogger('silent'), { dashboardDir: null });
}

/** Sends bytes exactly as written and returns the status code of the answer. */
function rawStatus(port: number, request: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(received)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

describe('the perimeter on a listening server', () => {
  it('refuses to start beyond loopback without a token, with a clear message', async () => {
    await expect(start({ HOST: '0.0.0.0' })).rejects.toThrow(ConfigError);
    await expect(start({ HOST: '0.0.0.0' })).rejects.toThrow('Set RUNBOARD_TOKEN');
  });

  it('accepts writes from the origin of the port chosen at listen when PORT=0', async () => {
    server = await start({ OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' });
    const port = Number(new URL(server.url).port);
    expect(port).toBeGreaterThan(0);
    const post = (origin: string) =>
      fetch(`${server!.url}/api/nothing-here`, { method: 'POST', headers: { origin } });
    expect((await post(`http://localhost:${port}`)).status).toBe(404);
    expect((await post(`http://127.0.0.1:${port}`)).status).toBe(404);
    expect((await post('http://localhost:0')).status).toBe(403);
    expect((await post(`http://localhost:${port + 1}`)).status).toBe(403);
  });

  it('checks the Host header as sent, not the host of an absolute request target', async () => {
    server = await start({ OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' });
    const port = Number(new URL(server.url).port);
    const foreign = await rawStatus(
      port,
      'GET /api/config HTTP/1.1\r\nHost: rebind.attacker.example:' + port + '\r\nConnection: close\r\n\r\n',
    );
    expect(foreign).toBe(403);
    const absolute = await rawStatus(
      port,
      `GET http://localhost:${port}/api/config HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n`,
    );
    expect(absolute).toBe(403);
    const ours = await rawStatus(
      port,
      `GET /api/config HTTP/1.1\r\nHost: localhost:${port}\r\nConnection: close\r\n\r\n`,
    );
    expect(ours).toBe(200);
  });

  it('refuses a request without Host when bound to all interfaces', async () => {
    server = await start({ HOST: '0.0.0.0', RUNBOARD_TOKEN: 'a-long-random-secret' });
    const port = Number(new URL(server.url).port);
    const status = await rawStatus(
      port,
      'GET /api/config HTTP/1.0\r\nx-runboard-token: a-long-random-secret\r\n\r\n',
    );
    expect([400, 403]).toContain(status);
    const withHost = await rawStatus(
      port,
      `GET /api/config HTTP/1.0\r\nHost: 127.0.0.1:${port}\r\nx-runboard-token: a-long-random-secret\r\n\r\n`,
    );
    expect(withHost).toBe(200);
  });
});
