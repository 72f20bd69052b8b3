import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Run } from '../shared/openai-types';
import { createLogger } from '../platform/logger';
import {
  corruptRun,
  THROWS_ON_START,
  threeQueuedRuns,
  UNREADABLE_RUN,
} from '../assistants-server/test-support/broken-rows';
import { createHarness } from '../assistants-server/test-support/emulator-harness';
import { loadConfig } from './config';
import { startServer, type RunningServer } from './start-server';

/**
 * The whole server (the dashboard's index built from every run, the timer, /v1 and /api) started on a database
 * holding broken run rows: it starts, the healthy run goes on, and each broken one is reported once.
 */
let directory: string;
let server: RunningServer | null = null;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'runboard-broken-server-'));
});
afterEach(async () => {
  await server?.close();
  server = null;
  rmSync(directory, { recursive: true, force: true });
});

it('starts on a database with broken run rows: /v1 and /api answer, the healthy run completes, one log line per broken run', async () => {
  const dbPath = join(directory, 'runboard.sqlite');
  // Written in the past (the harness's frozen clock): at start, every run's transitions are due.
  const writer = await createHarness({ dbPath });
  const [unreadable, throwing, healthy] = await threeQueuedRuns(writer);
  await writer.close();
  corruptRun(dbPath, unreadable!.id, UNREADABLE_RUN);
  corruptRun(dbPath, throwing!.id, THROWS_ON_START);

  const lines: string[] = [];
  const config = loadConfig({
    PORT: '0',
    RUNBOARD_DB: dbPath,
    RUNBOARD_AUDIT_DB: join(directory, 'audit.sqlite'),
    RUNBOARD_SEED: 'none',
  });
  server = await startServer(
    config,
    createLogger('info', (line) => lines.push(line), false),
    {
      dashboardDir: null,
    },
  );

  const get = async (path: string) => {
    const response = await fetch(`${server!.url}${path}`);
    expect(response.status, path).toBe(200);
    return response.json();
  };
  const run = (await get(`/v1/threads/${healthy!.thread_id}/runs/${healthy!.id}`)) as Run;
  expect(run.status).toBe('completed');
  const failed = (await get(`/v1/threads/${throwing!.thread_id}/runs/${throwing!.id}`)) as Run;
  expect(failed.last_error?.code).toBe('server_error');
  const listed = (await get('/api/runs')) as { data: Run[] };
  expect(listed.data.map((each) => [each.id, each.status]).sort()).toEqual(
    [
      [healthy!.id, 'completed'],
      [throwing!.id, 'failed'],
    ].sort(),
  );
  expect(lines.filter((line) => line.includes(unreadable!.id))).toHaveLength(1);
  expect(lines.filter((line) => line.includes(throwing!.id))).toHaveLength(1);
});
