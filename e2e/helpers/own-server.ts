import { resolve } from 'node:path';
import { silentLogger } from '../../src/platform/logger';
import { loadConfig } from '../../src/server/config';
import { startServer, type RunningServer } from '../../src/server/start-server';

/**
 * A Runboard of a journey's own, on a free port (emulator in memory, no seed), serving the dashboard the shared
 * server's start just built: for journeys that advance the emulator's clock, which on the shared server would move
 * every other journey's runs forward too. `env` adds settings (README's configuration table).
 */
export function startOwnServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const config = loadConfig({
    PORT: '0',
    RUNBOARD_DB: ':memory:',
    RUNBOARD_SEED: 'none',
    LOG_LEVEL: 'silent',
    ...env,
  });
  return startServer(config, silentLogger, { dashboardDir: resolve('dist/client') });
}
