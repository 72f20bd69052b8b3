import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Serves the built dashboard: hashed assets cached for good, every other page path answered with index.html. */
export function serveDashboard(dashboardDir: string): Hono {
  const root = relative(process.cwd(), dashboardDir) || '.';
  const indexHtml = readFileSync(join(dashboardDir, 'index.html'), 'utf8');
  const app = new Hono();
  app.use(
    '/assets/*',
    serveStatic({
      root,
      onFound: (_path, c) => {
        c.header('Cache-Control', 'public, max-age=31536000, immutable');
      },
    }),
  );
  app.use('*', serveStatic({ root }));
  app.get('*', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.html(indexHtml);
  });
  return app;
}
