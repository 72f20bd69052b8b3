import type { Hono } from 'hono';
import { createLogger } from '../../platform/logger';
import { createApp } from '../app';
import { openAuditStore } from '../audit/audit-store';
import { createBackend } from '../backend';
import { loadConfig } from '../config';
import { testStoreOptions } from '../../assistants-server/test-support/test-store';

export const TEST_TOKEN = 'in-memory-test-token-0123456789';
/** What every request of a test sends: an allowed Host and the access token. */
export const TEST_HEADERS = { host: 'localhost:3180', 'x-runboard-token': TEST_TOKEN };

export interface InMemoryServer {
  app: Hono;
  /** Every line the server logged (errors included), as JSON. */
  logLines: string[];
  close(): Promise<void>;
}

/**
 * The real app (perimeter, /api, /v1 on an in-memory emulator, audit trail) for `app.request`, with its log kept, on
 * the test file's store.
 */
export async function startInMemoryServer(env: Record<string, string> = {}): Promise<InMemoryServer> {
  const config = loadConfig({
    RUNBOARD_DB: ':memory:',
    RUNBOARD_SEED: 'none',
    RUNBOARD_TOKEN: TEST_TOKEN,
    ...env,
  });
  const logLines: string[] = [];
  const logger = createLogger('warn', (line) => logLines.push(line), false);
  // On the test file's store (`runOnTestStore`): SQLite in memory, or its PostgreSQL database emptied.
  const backend = await createBackend(config, logger, await testStoreOptions(config.dbPath));
  const audit = openAuditStore(':memory:', config.auditMaxEntries);
  const app = createApp({ config, logger, backend, dashboardDir: null, audit });
  return {
    app,
    logLines,
    async close() {
      await backend.close();
      audit.close();
    },
  };
}
