import { expect, test } from './fixtures';
import { clearFault, injectFault } from './helpers/fault-admin';
import { runboardApi } from './helpers/runboard-api';

/**
 * Faults injected through the emulator's admin routes, each scoped to this journey's own thread (the e2e server is
 * shared), and what a person sees: the last runs stay on screen with their age and the reason, then everything
 * recovers by itself once the fault is cleared.
 */
// Chromium logs every failed request as "Failed to load resource: …": here those failures are the point.
test.use({ allowedConsoleErrors: [/^Failed to load resource/] });

const FAULTS = [
  {
    name: 'a 503 from the backend',
    rule: { status: 503 },
    banner: 'The engine is currently overloaded, please try again later.',
    indicator: 'Connection: Errors',
  },
  {
    name: 'a dropped connection',
    rule: { drop_connection: true },
    banner: 'Cannot reach the Runboard server',
    indicator: 'Connection: Offline',
  },
  {
    name: 'a request the server holds (hang)',
    rule: { hang: true, hang_ms: 120_000 },
    banner: 'The Runboard server did not answer within 10 s.',
    indicator: 'Connection: Offline',
  },
  {
    name: 'an answer with cut-off JSON',
    rule: { malformed_json: true },
    banner: 'could not be read: it is not valid JSON',
    indicator: 'Connection: Errors',
  },
];

for (const fault of FAULTS) {
  test(`${fault.name}: the last runs stay with their age and the reason, then recover by themselves`, async ({
    page,
    request,
  }) => {
    const api = runboardApi(request);
    const assistant = await api.createAssistant({ name: 'Fault Watcher' });
    const thread = await api.createThread({ topic: `faults ${fault.name}` });
    // A slow run keeps the thread polled about once a second.
    const slow = await api.createRun(thread.id, {
      assistant_id: assistant.id,
      metadata: { runboard_scenario: 'slow' },
    });

    await page.goto(`/?thread=${thread.id}`);
    const row = page.getByRole('row').filter({ hasText: slow.id });
    await expect(row).toContainText('In progress');

    const faultId = await injectFault(request, {
      method: 'GET',
      path: `/v1/threads/${thread.id}/runs`,
      ...fault.rule,
    });
    try {
      // After the retries (1 s, 2 s, 4 s; a hang: the 10 s timeout) the banner says what failed and how old the
      // runs shown are.
      const banner = page.getByRole('alert').filter({ hasText: 'refreshing failed' });
      await expect(banner).toBeVisible({ timeout: 20_000 });
      await expect(banner).toContainText(fault.banner);
      await expect(banner).toContainText(/Showing runs from .+ ago/);
      await expect(row).toContainText('In progress');
      await expect(page.getByRole('status', { name: fault.indicator })).toBeVisible();
    } finally {
      await clearFault(request, faultId);
    }

    // Cleared: the next poll succeeds, the banner goes and live updates resume.
    await expect(page.getByRole('alert').filter({ hasText: 'refreshing failed' })).toHaveCount(0, {
      timeout: 15_000,
    });
    // (The connection indicator is not asserted Live: it also reflects the cross-thread scans, and other journeys on
    // the shared server inject faults into their own threads.) A change made elsewhere shows up again.
    await api.cancelRun(thread.id, slow.id);
    await expect(row).toContainText(/Cancelling|Cancelled/);
  });
}

test('a rate limit with Retry-After: the reason is shown, and "Retry now" recovers at once once it lifts', async ({
  page,
  request,
}) => {
  const api = runboardApi(request);
  const assistant = await api.createAssistant({ name: 'Rate Limited' });
  const thread = await api.createThread({ topic: 'faults rate limit' });
  const slow = await api.createRun(thread.id, {
    assistant_id: assistant.id,
    metadata: { runboard_scenario: 'slow' },
  });
  await page.goto(`/?thread=${thread.id}`);
  const row = page.getByRole('row').filter({ hasText: slow.id });
  await expect(row).toContainText('In progress');

  const faultId = await injectFault(request, {
    method: 'GET',
    path: `/v1/threads/${thread.id}/runs`,
    status: 429,
    retry_after_ms: 500,
  });
  const banner = page.getByRole('alert').filter({ hasText: 'refreshing failed' });
  try {
    await expect(banner).toContainText('Rate limit reached for requests', { timeout: 20_000 });
    await expect(row).toContainText('In progress');
  } finally {
    await clearFault(request, faultId);
  }
  await banner.getByRole('button', { name: 'Retry now' }).click();
  await expect(banner).toHaveCount(0);
  await expect(row).toContainText('In progress');
});
