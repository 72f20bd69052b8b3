import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';

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

/** Builds dist/client when it is missing or older than its sources (the same rule as `npm start`). */
export async function ensureDashboardBuilt(log: (message: string) => void): Promise<void> {
  const built = existsSync(BUILD_MARKER) ? statSync(BUILD_MARKER).mtimeMs : 0;
  if (built > 0 && !DASHBOARD_SOURCES.some((source) => newestMtime(source) > built)) return;
  log('building the dashboard (vite build)');
  await build({ logLevel: 'warn' });
}
