import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../assistants-server/store/postgres/database-url';
import { createLogger } from '../platform/logger';
import { loadConfig } from './config';
import { startServer } from './start-server';
import type { Run } from '../shared/openai-types';
import type { RunsPage, ThreadSummariesPage } from '../shared/runs-query-types';
import { withPostgres, TEST_BACKEND } from '../assistants-server/store/postgres/test-support/with-postgres';
import { startInMemoryServer, TEST_HEADERS, type InMemoryServer } from './test-support/in-memory-server';

/**
 * The whole server started on `RUNBOARD_DATABASE_URL`, as `npm start` does: it connects with pg, migrates, and keeps
 * everything there; two servers on one database (no file lock) answer from the same data. Needs a PostgreSQL server
 * (CI's, `RUNBOARD_TEST_DATABASE_URL`): PGlite has no URL.
 */
const database = withPostgres({ migrated: false });
const folder = mkdtempSync(join(tmpdir(), 'runboard-pg-backend-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
if (TEST_BACKEND !== 'server') {
  console.warn(
    '\n⚠ postgres-backend.test.ts skipped: it needs RUNBOARD_TEST_DATABASE_URL (a PostgreSQL server).\n',
  );
}

async function call<T>(server: InMemoryServer, method: string, path: string, body?: unknown): Promise<T> {
  const response = await server.app.request(path, {
    method,
    headers: { ...TEST_HEADERS, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

describe.skipIf(TEST_BACKEND !== 'server')('the server on RUNBOARD_DATABASE_URL', () => {
  it('migrates an empty database at start, keeps /v1 writes there, and a second instance answers from them', async () => {
    const url = new URL(database.url!);
    url.username = 'postgres';
    url.password = 'unused-pw';
    const env = { RUNBOARD_DATABASE_URL: url.toString() };
    const first = await startInMemoryServer(env);
    const second = await startInMemoryServer(env);
    try {
      const assistant = await call<{ id: string }>(first, 'POST', '/v1/assistants', { model: 'gpt-4o' });
      const thread = await call<{ id: string }>(first, 'POST', '/v1/threads', { metadata: { team: 'blue' } });
      const run = await call<Run>(first, 'POST', `/v1/threads/${thread.id}/runs`, {
        assistant_id: assistant.id,
      });

      const fromSecond = await call<Run>(second, 'GET', `/v1/threads/${thread.id}/runs/${run.id}`);
      expect(fromSecond.id).toBe(run.id);
      const page = await call<RunsPage>(second, 'GET', '/api/runs');
      expect(page.data.map((each) => each.id)).toEqual([run.id]);
      expect(page.total).toBe(1);
      const threads = await call<ThreadSummariesPage>(second, 'GET', '/api/threads?q=blue');
      expect(threads.data.map((each) => [each.thread.id, each.run_count])).toEqual([[thread.id, 1]]);

      const { rows } = await database.client.query<{ n: number }>('SELECT COUNT(*) AS n FROM query_runs');
      expect(rows[0]!.n).toBe(1);
      expect([...first.logLines, ...second.logLines].join('\n')).not.toContain('unused-pw');
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('listens as npm start does: two servers on one database (no file lock), the audit trail shared', async () => {
    const config = loadConfig({
      RUNBOARD_DATABASE_URL: database.url!,
      RUNBOARD_DB: join(folder, 'runboard.sqlite'),
      RUNBOARD_SEED: 'none',
      PORT: '0',
    });
    const logLines: string[] = [];
    const logger = createLogger('info', (line) => logLines.push(line), false);
    const servers = [
      await startServer(config, logger, { dashboardDir: null }),
      await startServer(config, logger, { dashboardDir: null }),
    ];
    try {
      const created = await fetch(`${servers[0]!.url}/v1/threads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ metadata: { team: 'red' } }),
      });
      expect(created.status).toBe(200);
      const { id } = (await created.json()) as { id: string };
      const audit = await fetch(`${servers[1]!.url}/api/audit?thread_id=${id}`);
      const entries = (await audit.json()) as { data: Array<{ action: string }> };
      expect(entries.data.map((entry) => entry.action)).toEqual(['create_thread']);
      expect(logLines.join('\n')).toContain(`"database":"${parseDatabaseUrl(database.url!).label}"`);
    } finally {
      for (const server of servers) await server.close();
    }
  });
});
