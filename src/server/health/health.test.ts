import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../platform/logger';
import type { RunboardConfig, RunboardHealth } from '../../shared/runboard-types';
import { connectToServer } from '../../assistants-server/store/postgres/server-client';
import {
  describePostgres,
  withPostgres,
} from '../../assistants-server/store/postgres/test-support/with-postgres';
import { createApp, type BackendDatabase } from '../app';
import { openAuditStore } from '../audit/audit-store';
import { createBackend } from '../backend';
import { loadConfig } from '../config';
import { startInMemoryServer, TEST_HEADERS, type InMemoryServer } from '../test-support/in-memory-server';
import { describePostgresUrl } from './store-description';

type HealthAnswer = RunboardHealth & { error?: { message: string; type: string; code: string | null } };

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The real app and an in-memory emulator, but its database is `database`, and /v1/boom throws `boom`. */
async function appWith(database: BackendDatabase, env: Record<string, string> = {}, boom?: Error) {
  const config = loadConfig({
    RUNBOARD_DB: ':memory:',
    RUNBOARD_SEED: 'none',
    RUNBOARD_TOKEN: 'health-token',
    ...env,
  });
  const emulator = await createBackend(config, silentLogger);
  const audit = openAuditStore(':memory:');
  cleanups.push(
    () => emulator.close(),
    () => audit.close(),
  );
  const api = new Hono().get('/boom', () => {
    throw boom ?? new Error('a bug');
  });
  const backend = { ...emulator, api, database };
  const app = createApp({ config, logger: silentLogger, backend, dashboardDir: null, audit });
  const get = (path: string) =>
    app.request(path, { headers: { host: 'localhost:3180', 'x-runboard-token': 'health-token' } });
  return { app, get };
}

const TEAM_URL = 'postgres://runboard:s3cret-pw@127.0.0.1:1/teamdb?sslmode=disable';

describe('GET /api/health', () => {
  let server: InMemoryServer;

  it('says which backend, store (the SQLite file) and instance answered, and that the database answered', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'runboard-health-'));
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
    server = await startInMemoryServer({ RUNBOARD_DB: join(folder, 'team-runs.sqlite') });
    cleanups.push(() => server.close());

    const response = await server.app.request('/api/health', { headers: TEST_HEADERS });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const health = (await response.json()) as HealthAnswer;
    expect(health).toMatchObject({
      status: 'ok',
      backend: { mode: 'emulator', upstreamHost: null },
      store: { kind: 'sqlite', file: 'team-runs.sqlite' },
      database: { reachable: true, reason: null },
    });
    expect(health.database.latency_ms).toBeGreaterThanOrEqual(0);
    expect(health.instance).toMatch(/^.+:\d+:\d{4}-\d\d-\d\dT/);
    expect(health.instance).toContain(`:${process.pid}:`);
    expect(health.error).toBeUndefined();

    // The dashboard reads the same from /api/config.
    const config = (await (
      await server.app.request('/api/config', { headers: TEST_HEADERS })
    ).json()) as RunboardConfig;
    expect(config.store).toEqual(health.store);
    expect(config.instance).toBe(health.instance);
  });

  it('is behind the perimeter like every /api route: the access token, the Host allowlist', async () => {
    server = await startInMemoryServer();
    cleanups.push(() => server.close());
    const noToken = await server.app.request('/api/health', { headers: { host: 'localhost:3180' } });
    expect(noToken.status).toBe(401);
    expect(((await noToken.json()) as HealthAnswer).error?.code).toBe('runboard_token_required');
    const strangeHost = await server.app.request('/api/health', {
      headers: { ...TEST_HEADERS, host: 'evil.example:3180' },
    });
    expect(strangeHost.status).toBe(403);
  });

  it('answers 503 with the reason within its bound when the database does not answer, with one statement out', async () => {
    let pings = 0;
    const { get } = await appWith(
      { store: describePostgresUrl(TEAM_URL), ping: () => (pings++, new Promise(() => {})) },
      { RUNBOARD_HEALTH_TIMEOUT_MS: '100' },
    );
    const started = Date.now();
    const answers = await Promise.all([get('/api/health'), get('/api/health'), get('/api/health')]);
    expect(Date.now() - started).toBeLessThan(5_000);
    const again = await get('/api/health');
    expect(pings).toBe(1);
    for (const response of [...answers, again]) {
      expect(response.status).toBe(503);
      const text = await response.text();
      expect(text).not.toContain('s3cret');
      expect(text).not.toContain('runboard:');
      const health = JSON.parse(text) as HealthAnswer;
      expect(health).toMatchObject({
        status: 'unavailable',
        store: { kind: 'postgres', host: '127.0.0.1', port: 1, database: 'teamdb' },
        database: { reachable: false, latency_ms: null },
        error: { type: 'server_error', code: 'database_unavailable' },
      });
      expect(health.database.reason).toMatch(/^no answer within 0\.\d s$/);
      expect(health.error!.message).toMatch(
        /^The database \(PostgreSQL 127\.0\.0\.1:1\/teamdb\) did not answer: no answer within/,
      );
    }
  });

  it('answers 503 with the driver’s reason when the PostgreSQL server refuses, never showing the password', async () => {
    const unreachable = connectToServer(TEAM_URL, { maxConnections: 1 });
    cleanups.push(() => unreachable.close());
    const { get } = await appWith({
      store: describePostgresUrl(TEAM_URL),
      ping: () => unreachable.query('SELECT 1'),
    });
    const response = await get('/api/health');
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(text).not.toContain('s3cret');
    expect((JSON.parse(text) as HealthAnswer).database.reason).toContain('ECONNREFUSED');
  });
});

describe('a database that does not answer, on any /api or /v1 route', () => {
  it('is a 503 naming the database and the reason (code database_unavailable), not a 500', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const { get } = await appWith(
      { store: describePostgresUrl(TEAM_URL), ping: () => Promise.resolve() },
      {},
      refused,
    );
    const response = await get('/v1/boom');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      error: {
        message:
          'The database (PostgreSQL 127.0.0.1:1/teamdb) did not answer: connect ECONNREFUSED 127.0.0.1:1.',
        type: 'server_error',
        param: null,
        code: 'database_unavailable',
      },
    });
  });

  it('leaves any other error a 500', async () => {
    const { get } = await appWith({ store: describePostgresUrl(TEAM_URL), ping: () => Promise.resolve() });
    const response = await get('/v1/boom');
    expect(response.status).toBe(500);
  });
});

describePostgres('GET /api/health on PostgreSQL', () => {
  const database = withPostgres();

  it('reports the database reachable, with how long one statement took', async () => {
    const { get } = await appWith({
      store: describePostgresUrl(database.url ?? 'postgres://localhost/pglite'),
      ping: () => database.client.query('SELECT 1'),
    });
    const response = await get('/api/health');
    expect(response.status).toBe(200);
    const health = (await response.json()) as HealthAnswer;
    expect(health.status).toBe('ok');
    expect(health.database.reachable).toBe(true);
    expect(health.store.kind).toBe('postgres');
  });
});
