import type { Page, Route } from '@playwright/test';
import { expect, test } from './fixtures';
import { OVERLOADED } from './helpers/fault-admin';
import { openSlowRun } from './helpers/slow-run';

/**
 * Faults on the dashboard's reads of this journey's thread (GET /api/runs… with its thread_id, played by the browser
 * with page.route: the emulator's fault rules act on /v1, which the dashboard no longer polls), and what a person
 * sees: the runs stay on screen with their age and the reason, then everything recovers by itself once the fault is
 * gone. A read is due when the change feed says the thread changed in bulk (a seed sends `reset`).
 */
// Chromium logs every failed request as "Failed to load resource: …": here those failures are the point.
test.use({ allowedConsoleErrors: [/^Failed to load resource/] });

const FAULTS: {
  name: string;
  answer: (route: Route) => Promise<void> | void;
  banner: string;
  indicator: string;
}[] = [
  {
    name: 'a 503 from the server',
    answer: (route) => route.fulfill({ status: 503, json: OVERLOADED }),
    banner: OVERLOADED.error.message,
    indicator: 'Connection: Errors',
  },
  {
    name: 'a dropped connection',
    answer: (route) => route.abort('connectionreset'),
    banner: 'Cannot reach the Runboard server',
    indicator: 'Connection: Offline',
  },
  {
    name: 'a request the server holds (hang)',
    answer: () => new Promise<void>(() => {}),
    banner: 'The Runboard server did not answer within 10 s.',
    indicator: 'Connection: Offline',
  },
  {
    name: 'an answer with cut-off JSON',
    answer: (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: '{"object":"list","da' }),
    banner: 'could not be read: it is not valid JSON',
    indicator: 'Connection: Errors',
  },
];

/** Routes the dashboard's reads of the thread's runs (list and counts) to `answer`; returns the predicate to unroute. */
async function faultThreadReads(
  page: Page,
  threadId: string,
  answer: (route: Route) => Promise<void> | void,
) {
  const matches = (url: URL) =>
    url.pathname.startsWith('/api/runs') && url.searchParams.get('thread_id') === threadId;
  await page.route(matches, answer);
  return matches;
}

for (const fault of FAULTS) {
  test(`${fault.name}: the last runs stay with their age and the reason, then recover by themselves`, async ({
    page,
    request,
  }) => {
    const {
      api,
      assistant,
      thread,
      run: slow,
      row,
    } = await openSlowRun(page, request, `faults ${fault.name}`);

    const matches = await faultThreadReads(page, thread.id, fault.answer);
    try {
      // The thread changes in bulk: the feed says so and the list is read again, which fails. After the retries
      // (1 s, 2 s, 4 s; a hang: the 10 s timeout) the banner says what failed and how old the runs shown are.
      await api.seedRuns(thread.id, 3, assistant.id);
      const banner = page.getByRole('alert').filter({ hasText: 'refreshing failed' });
      await expect(banner).toBeVisible({ timeout: 25_000 });
      await expect(banner).toContainText(fault.banner);
      await expect(banner).toContainText(/Showing runs from .+ ago/);
      await expect(row).toContainText('In progress');
      await expect(page.getByRole('status', { name: fault.indicator })).toBeVisible();
    } finally {
      await page.unroute(matches);
    }

    // Cleared: the failed read is tried again (every 5 s), the banner goes, the seeded runs show, live updates resume.
    await expect(page.getByRole('alert').filter({ hasText: 'refreshing failed' })).toHaveCount(0, {
      timeout: 15_000,
    });
    await expect(page.getByRole('status').filter({ hasText: /runs? loaded/ })).toHaveText('4 runs loaded');
    // A change made elsewhere shows up again.
    await api.cancelRun(slow);
    await expect(row).toContainText(/Cancelling|Cancelled/);
  });
}

test('a rate limit with Retry-After: the reason is shown, and "Retry now" recovers at once once it lifts', async ({
  page,
  request,
}) => {
  const { api, assistant, thread, row } = await openSlowRun(page, request, 'faults rate limit');

  const matches = await faultThreadReads(page, thread.id, (route) =>
    route.fulfill({
      status: 429,
      headers: { 'retry-after-ms': '500' },
      json: {
        error: {
          message: 'Rate limit reached for requests. Please try again later.',
          type: 'requests',
          param: null,
          code: 'rate_limit_exceeded',
        },
      },
    }),
  );
  const banner = page.getByRole('alert').filter({ hasText: 'refreshing failed' });
  try {
    await api.seedRuns(thread.id, 3, assistant.id);
    await expect(banner).toContainText('Rate limit reached for requests', { timeout: 20_000 });
    await expect(row).toContainText('In progress');
  } finally {
    await page.unroute(matches);
  }
  await banner.getByRole('button', { name: 'Retry now' }).click();
  await expect(banner).toHaveCount(0);
  await expect(row).toContainText('In progress');
});
