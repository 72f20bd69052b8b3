import type { Request } from '@playwright/test';
import { expect, test } from './fixtures';
import { runboardApi } from './helpers/runboard-api';

test('changes made through the API arrive through the one change stream, with no polling while it is up', async ({
  page,
  request,
}) => {
  const api = runboardApi(request);
  const assistant = await api.createAssistant({ name: 'Feed Watcher' });
  const thread = await api.createThread({ topic: 'change feed' });

  const reads: string[] = [];
  const onRequest = (sent: Request) => {
    const path = new URL(sent.url()).pathname;
    if (path.startsWith('/api/') || path.startsWith('/v1/')) reads.push(`${sent.method()} ${path}`);
  };
  await page.goto(`/?thread=${thread.id}`);
  await expect(page.getByText('No runs in this thread yet')).toBeVisible();
  await expect(page.getByRole('status', { name: 'Connection: Live' })).toBeVisible();

  // Idle with nothing changing: not one request in 5 s (the stream stays open; no poll of any kind).
  page.on('request', onRequest);
  await page.waitForTimeout(5_000);
  expect(reads).toEqual([]);

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
  await api.cancelRun(thread.id, slow.id);
  await expect(row).toContainText(/Cancelling|Cancelled/, { timeout: 2_000 });
  await expect(row).toContainText('Cancelled');
  await expect(page.getByRole('group', { name: 'Filter by status' })).toContainText(/Cancelled\s*1/);
  await expect(threadItem).toContainText('0 active');
  // No list of runs was polled: only reads the changes asked for (counts, thread summaries).
  expect(reads.filter((read) => read.startsWith('GET /v1/threads/'))).toEqual([]);
});
