/** The server's entry point: `npm start` (after building) and `npm run dev` run this. */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from './config';
import { DatabaseInUseError } from './database-lock';
import { createLogger } from '../platform/logger';
import { logProcessFailures } from './process-failures';
import { startServer } from './start-server';

const SHUTDOWN_GRACE_MS = 5_000;

export async function main(options: { serveDashboard: boolean }): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Runboard cannot start: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  logProcessFailures(logger);
  const dashboardDir = resolve('dist/client');
  if (options.serveDashboard && !existsSync(resolve(dashboardDir, 'index.html'))) {
    logger.error('The dashboard is not built: run `npm run build` or `npm start`.');
    process.exit(1);
  }
  const version = JSON.parse(readFileSync(resolve('package.json'), 'utf8')).version as string;
  let server;
  try {
    server = await startServer(config, logger, {
      dashboardDir: options.serveDashboard ? dashboardDir : null,
      version,
    });
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DatabaseInUseError) {
      process.stderr.write(`Runboard cannot start: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('Shutting down', { signal });
    const forced = setTimeout(() => {
      logger.warn('Connections did not close in time; exiting');
      process.exit(0);
    }, SHUTDOWN_GRACE_MS);
    forced.unref();
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main({ serveDashboard: !process.argv.includes('--api-only') });
}
