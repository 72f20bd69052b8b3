import { expect, test } from './fixtures';
import { openSlowRun } from './helpers/slow-run';

/**
 * The whole Runboard server going away, as the browser sees it (every request refused: the e2e server is shared, so
 * it cannot really be stopped here; the kill -9 test stops a real one), then coming back.
 */
// Chromium logs every failed request as "Failed to load resource: …": here those failures are the point.
test.use({ allowedConsoleErrors: [/^Failed to load resource/] });

test('the server going away: "cannot reach the Runboard server" with the last runs kept, then recovery', async ({
  page,
  request,
}) => {
  const { api, run: slow, row } = await openSlowRun(page, request, 'faults server gone');

  const isServerCall = (url: URL) => url.pathname.startsWith('/v1/') || url.pathname.startsWith('/api/');
  await page.route(isServerCall, (route) => route.abort('connectionrefused'));
  // The network goes too, so the open change stream drops as it would: the dashboard falls back to polling.
  await page.context().setOffline(true);
  const banner = page.getByRole('alert').filter({ hasText: 'refreshing failed' });
  await expect(banner).toContainText('Cannot reach the Runboard server', { timeout: 20_000 });
  await expect(banner).toContainText(/Showing runs from .+ ago/);
  await expect(page.getByRole('status', { name: 'Connection: Offline' })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Connection: Offline' })).toHaveAttribute(
    'title',
    'The Runboard server cannot be reached',
  );
  await expect(row).toContainText('In progress');

  // Back: without a reload, the next poll brings the dashboard back, and the change stream reconnects.
  await page.context().setOffline(false);
  await page.unroute(isServerCall);
  await expect(banner).toHaveCount(0, { timeout: 15_000 });
  await expect(page.getByRole('status', { name: 'Connection: Live' })).toBeVisible({ timeout: 20_000 });
  // A change made elsewhere shows up again.
  await api.cancelRun(slow);
  await expect(row).toContainText(/Cancelling|Cancelled/);
});
