import { silentLogger } from '../../platform/logger';
import { testStoreOptions } from './test-store';
import {
  createAssistantsServer,
  type AssistantsServer,
  type AssistantsServerOptions,
} from '../assistants-server';

/**
 * The Assistants server as tests and the bench start it: in memory, no key, no demo seed, no log, real time (pass
 * `frozenWallClockMs` to stop the wall clock, `dbPath` for a file), on the test file's store (`test-store.ts`).
 */
export async function createQuietAssistantsServer(
  overrides: Partial<AssistantsServerOptions> = {},
): Promise<AssistantsServer> {
  return createAssistantsServer({
    dbPath: ':memory:',
    timeScale: 1,
    apiKey: null,
    seedDemo: false,
    logger: silentLogger,
    ...(overrides.postgres === undefined ? await testStoreOptions(overrides.dbPath) : {}),
    ...overrides,
  });
}
