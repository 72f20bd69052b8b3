import { expect, test } from './fixtures';
import { assistantsApi } from './helpers/assistants-api';
import { holdChangeFeed } from './helpers/change-feed-hold';
import { openSlowRun } from './helpers/slow-run';

test('cancel from the table row: confirm, see cancelling then cancelled, and the thread count drop', async ({
  page,
  request,
}) => {
  const { thread, run, row } = await openSlowRun(page, request, 'Cancel Row');
  const threadItem = page
    .getByRole('navigation', { name: 'Threads' })
    .getByRole('listitem')
    .filter({ hasText: thread.id });
  await expect(threadItem).toContainText('1 active');

  const cancel = row.getByRole('button', { name: `Cancel run ${run.id}` });
  await cancel.click();
  const dialog = page.getByRole('dialog', { name: 'Cancel this run?' });
  await expect(dialog).toContainText(run.id);
  // Escape closes without cancelling and gives focus back to the row's button; the panel did not open.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(cancel).toBeFocused();
  await expect(page).not.toHaveURL(/run=/);

  await cancel.press('Enter');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel run' }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('Cancelling');
  await expect(row).toContainText('Cancelled');
  await expect(row.getByRole('button', { name: `Cancel run ${run.id}` })).toHaveCount(0);
  await expect(threadItem).toContainText('0 active');
  await expect(page).not.toHaveURL(/run=/);
  expect((await assistantsApi(request).getRun(run)).status).toBe('cancelled');
});

test('cancel from the panel action bar; once cancelled, no disabled cancel is left and focus goes to the panel', async ({
  page,
  request,
}) => {
  const api = assistantsApi(request);
  const assistant = await api.createAssistant({ name: 'Cancel Panel' });
  const thread = await api.createThread();
  const created = await api.createRun(thread.id, {
    assistant_id: assistant.id,
    metadata: { runboard_scenario: 'slow' },
  });
  // In progress before the page loads: with the feed held, the page shows only what it reads first.
  const run = await api.waitForStatus(created, 'in_progress');

  // The emulator ends a cancel a second later; with the change feed held, the panel shows what the cancel answered
  // (cancelling) for as long as the journey looks, then the feed brings the end.
  const feed = await holdChangeFeed(page);
  await page.goto(`/?thread=${thread.id}&run=${run.id}`);
  const panel = page.getByRole('complementary', { name: 'Run detail' });
  await expect(panel).toContainText('In progress');
  const cancel = panel.getByRole('button', { name: 'Cancel run' });
  await cancel.click();
  const dialog = page.getByRole('dialog', { name: 'Cancel this run?' });
  await dialog.getByRole('button', { name: 'Cancel run' }).click();
  await expect(dialog).toBeHidden();
  await expect(cancel).toBeFocused();
  await expect(panel.locator('header')).toContainText('Cancelling');
  feed.release();
  await expect(panel.locator('header')).toContainText('Cancelled');

  // An ended run offers no cancel (no disabled button); focus, which was on it, goes to the panel's heading.
  await expect(cancel).toHaveCount(0);
  await expect(panel.getByRole('heading', { name: 'Run', exact: true })).toBeFocused();
});
