import type { Request } from '@playwright/test';
import { expect, test } from './fixtures';
import { assistantsApi } from './helpers/assistants-api';

test('changes made through the API arrive through the one change stream, with no polling while it is up', async ({
  page,
  request,
}) => {
  const api = assistantsApi(request);
  const assistant = await api.createAssistant({ name: 'Feed Watcher' });
  const thread = await api.createThread({ topic: 'change feed' });

  const reads: string[] = [];
  const onRequest = (sent: Request) => {
    const url = new URL(sent.url());
    if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/v1/'))
      reads.push(`${sent.method()} ${url.pathname}${url.search}`);
  };
  await page.clock.install();
  await page.goto(`/?thread=${thread.id}`);
  await expect(page.getByText('No runs in this thread yet')).toBeVisible();
  await expect(page.getByRole('status', { name: 'Connection: Live' })).toBeVisible();

  // Nothing changes on this thread: not one read of it in 20 s of the page's time, past the 15 s of an idle poll and
  // short of the 45 s of silence that would drop the stream (the page's clock is moved, not waited for). Other
  // journeys share the server, and their changes may make the thread list and the lists across threads be read
  // again: the bench counts a truly idle server (src/bench/polling.ts).
  page.on('request', onRequest);
  await page.clock.fastForward(20_000);
  // A read of the journey's own, sent after whatever the moved timers sent: once it is seen, theirs were too.
  await Promise.all([
    page.waitForRequest('**/api/config?after-idle'),
    page.evaluate(() => fetch('/api/config?after-idle')),
  ]);
  expect(reads.filter((read) => read.includes(thread.id) || read.includes('/v1/'))).toEqual([]);

  // A run started elsewhere shows at once (an idle poll would take up to 15 s), then moves through its statuses.
  const slow = await api.createRun(thread.id, {
    assistant_id: assistant.id,
    metadata: { runboard_scenario: 'slow' },
  });
  const row = page.getByRole('row').filter({ hasText: slow.id });
  await expect(row).toBeVisible({ timeout: 3_000 });
  await expect(row).toContainText('In progress', { timeout: 5_000 });
  const threadItem = page.getByRole('navigation', { name: 'Threads' }).getByRole('button', {
    name: new RegExp(thread.id),
  });
  await expect(threadItem).toContainText('1 active');
  await expect(page.getByRole('button', { name: /^Active runs: \d+/ })).not.toHaveAccessibleName(
    'Active runs: 0',
  );

  // Cancelled from elsewhere: the row, the chips and the thread list follow without a reload.
  await api.cancelRun(slow);
  await expect(row).toContainText(/Cancelling|Cancelled/, { timeout: 2_000 });
  await expect(row).toContainText('Cancelled');
  await expect(page.getByRole('group', { name: 'Filter by status' })).toContainText(/Cancelled\s*1/);
  await expect(threadItem).toContainText('0 active');
  // No list of this thread's runs was read again: the changes were applied in place (only counts and summaries).
  expect(reads.filter((read) => read.startsWith('GET /v1/'))).toEqual([]);
  expect(reads.filter((read) => read.startsWith(`GET /api/runs?thread_id=${thread.id}`))).toEqual([]);
});
