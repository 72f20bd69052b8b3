import { expect, test } from './fixtures';
import { assistantsApi, weatherTool } from './helpers/assistants-api';
import { holdChangeFeed } from './helpers/change-feed-hold';

// These journeys make the API refuse on purpose; Chromium logs each 400 answer to fetch() as a console error.
test.use({ allowedConsoleErrors: [/^Failed to load resource: the server responded with a status of 400 /] });

test('a cancel the API refuses because the run ended meanwhile is explained, not alarming', async ({
  page,
  request,
}) => {
  const api = assistantsApi(request);
  const assistant = await api.createAssistant({ name: 'Cancel Too Late', tools: [weatherTool] });
  const thread = await api.createThread();
  const created = await api.createRun(thread.id, { assistant_id: assistant.id });
  const waiting = await api.waitForStatus(created, 'requires_action');

  // The dashboard has not heard yet: its change feed is held, so what it read first (run waiting) stays on screen.
  const feed = await holdChangeFeed(page);
  await page.goto(`/?thread=${thread.id}&run=${waiting.id}`);
  const panel = page.getByRole('complementary', { name: 'Run detail' });
  await expect(panel.locator('header')).toContainText('Needs input');

  await api.submitToolOutputs(waiting, '{"temperature": 12}');
  await api.waitForStatus(waiting, 'completed');
  await expect(panel.locator('header')).toContainText('Needs input');

  await panel.getByRole('button', { name: 'Cancel run' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cancel this run?' });
  await dialog.getByRole('button', { name: 'Cancel run' }).click();
  await expect(dialog.getByRole('status')).toContainText(
    'This run had already ended (Completed) before the cancel arrived, so there was nothing to cancel.',
  );
  await expect(dialog).toContainText("The server said: Cannot cancel run with status 'completed'.");
  await expect(dialog.getByRole('alert')).toHaveCount(0);

  feed.release();
  // The notice's own Close (the dialog's title bar has one too).
  await dialog.getByRole('button', { name: 'Close' }).last().click();
  await expect(dialog).toBeHidden();
  await expect(panel.locator('header')).toContainText('Completed');
  await expect(page.getByRole('row').filter({ hasText: waiting.id })).toContainText('Completed');
});
