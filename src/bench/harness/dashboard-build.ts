import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';

/**
 * Builds the dashboard from the current sources into the bench's own folder and returns a directory to run the
 * server from (its dist/client and package.json are what `src/server/main.ts` reads). A private build keeps the
 * bench independent of dist/client, which other builds (npm test, npm start) may empty at any moment.
 */
export async function buildDashboardForBench(log: (message: string) => void): Promise<string> {
  const serverRoot = resolve('bench-report/server-root');
  rmSync(serverRoot, { recursive: true, force: true });
  mkdirSync(serverRoot, { recursive: true });
  log('building the dashboard (vite build) into bench-report/server-root');
  await build({ logLevel: 'warn', build: { outDir: join(serverRoot, 'dist/client'), emptyOutDir: true } });
  copyFileSync(resolve('package.json'), join(serverRoot, 'package.json'));
  return serverRoot;
}
