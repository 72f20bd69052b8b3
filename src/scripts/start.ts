/** `npm start`: builds the dashboard when the build is missing or older than its sources, then serves it. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { main } from '../server/main';

const BUILD_MARKER = 'dist/client/index.html';
const DASHBOARD_SOURCES = [
  'index.html',
  'vite.config.ts',
  'package-lock.json',
  'public',
  'src/client',
  'src/shared',
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce(
    (newest, entry) => Math.max(newest, newestMtime(join(path, entry))),
    stat.mtimeMs,
  );
}

function buildIsStale(): boolean {
  if (!existsSync(BUILD_MARKER)) return true;
  const built = statSync(BUILD_MARKER).mtimeMs;
  return DASHBOARD_SOURCES.some((source) => newestMtime(source) > built);
}

if (buildIsStale()) {
  process.stderr.write('Building the dashboard…\n');
  await build({ logLevel: 'warn' });
}
await main({ serveDashboard: true });
