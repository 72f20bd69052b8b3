import type { Page } from '@playwright/test';

/**
 * Holds the dashboard's change feed (GET /api/changes) unanswered until `release`: the page shows what it read when it
 * loaded and hears of no change meanwhile (the feed is still connecting, so nothing polls either), as a dashboard does
 * in the moment before a change reaches it. Once released, the feed opens and the page reads again what predates it.
 */
export async function holdChangeFeed(page: Page): Promise<{ release: () => void }> {
  let open = () => {};
  const released = new Promise<void>((resolve) => (open = resolve));
  // Left routed after the release (every later request goes straight through): unrouting while the held request's
  // handler is still continuing it would hand that request on twice.
  await page.route(
    (url) => url.pathname === '/api/changes',
    async (route) => {
      await released;
      await route.continue();
    },
  );
  return { release: open };
}
