import { expect, test } from './fixtures';
import { openSlowRun } from './helpers/slow-run';

/**
 * The server's database going away while the server stays up (a PostgreSQL server restarted or out of reach): every
 * /api read answers what the server answers then, a 503 with code `database_unavailable` naming the database (the
 * e2e server's database cannot be taken away here; `src/server/health/health.test.ts` checks the server's side).
 * The open change stream ends and its reconnects meet the same 503 (`log-feed.test.ts` checks the server does that).
 * The dashboard keeps the last runs with that reason, says so in its status, and recovers when the database is back.
 */
// Chromium logs every failed request as "Failed to load resource: …": here those failures are the point.
test.use({ allowedConsoleErrors: [/^Failed to load resource/] });

const REASON =
  'The database (PostgreSQL db.internal:5432/runboard) did not answer: connect ECONNREFUSED 10.0.0.5:5432.';

test('the database going away: the last runs stay with the reason, the status says "Database down", then recovery', async ({
  page,
  request,
}) => {
  const { api, run: slow, row } = await openSlowRun(page, request, 'database gone');

  // The header says which store and which instance answered.
  const badge = page.getByTestId('store').locator('..');
  await expect(page.getByTestId('store')).toHaveText('SQLite');
  await expect(badge).toContainText(':memory:');
  await expect(page.getByTestId('instance')).toHaveText(/^.+:\d+$/);
  await expect(page.getByTestId('instance')).toHaveAttribute('title', /^Instance .+:\d+:\d{4}-.+ answered$/);

  // Every /api read but the config (which the server answers from memory) meets the database's absence.
  const isRead = (url: URL) => url.pathname.startsWith('/api/') && url.pathname !== '/api/config';
  await page.route(isRead, (route) =>
    route.fulfill({
      status: 503,
      contentType: 'application/json',
      body: JSON.stringify({
        error: { message: REASON, type: 'server_error', param: null, code: 'database_unavailable' },
      }),
    }),
  );
  // The open change stream ends as the server ends it when its database goes (a blip of the network here, held
  // until the dashboard has dropped the stream); its reconnect meets the 503 too, so the dashboard polls.
  const live = page.getByRole('status', { name: 'Connection: Live' });
  await expect(live).toBeVisible();
  await page.context().setOffline(true);
  await expect(live).toHaveCount(0);
  await page.context().setOffline(false);
  const banner = page.getByRole('alert').filter({ hasText: 'refreshing failed' });
  await expect(banner).toContainText(REASON, { timeout: 30_000 });
  await expect(banner).toContainText(/Showing runs from .+ ago/);
  const status = page.getByRole('status', { name: 'Connection: Database down' });
  await expect(status).toBeVisible();
  await expect(status).toHaveAttribute('title', /its database does not/);
  await expect(row).toContainText('In progress');

  // Back: the next poll brings the dashboard back, without a reload.
  await page.unroute(isRead);
  await expect(banner).toHaveCount(0, { timeout: 20_000 });
  await expect(live).toBeVisible({ timeout: 20_000 });
  await api.cancelRun(slow);
  await expect(row).toContainText(/Cancelling|Cancelled/);
});
