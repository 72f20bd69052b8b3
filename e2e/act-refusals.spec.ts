import { expect, test } from './fixtures';
import { actApi, weatherTool } from './helpers/act-api';

// These journeys make the API refuse on purpose; Chromium logs each 400 answer to fetch() as a console error.
test.use({ allowedConsoleErrors: [/^Failed to load resource: the server responded with a status of 400 /] });

test('a cancel the API refuses because the run ended meanwhile is explained, not alarming', async ({
  page,
  request,
}) => {
  const api = actApi(request);
  const assistant = await api.createAssistant('Cancel Too Late', [weatherTool]);
  const thread = await api.createThread();
  const created = await api.createRun(thread.id, { assistant_id: assistant.id });
  const waiting = await api.waitForStatus(created, 'requires_action');

  // The dashboard has not heard yet: from here its list polls get the answer they got first (run waiting).
  const listPath = `/v1/threads/${thread.id}/runs`;
  const frozen = new Map<string, string>();
  const isListPoll = (url: URL) => url.pathname === listPath;
  await page.route(isListPoll, async (route) => {
    const url = route.request().url();
    const body = frozen.get(url);
    if (body !== undefined) return route.fulfill({ status: 200, contentType: 'application/json', body });
    const response = await route.fetch();
    const text = await response.text();
    frozen.set(url, text);
    return route.fulfill({ response, body: text });
  });
  await page.goto(`/?thread=${thread.id}&run=${waiting.id}`);
  const panel = page.getByRole('complementary', { name: 'Run detail' });
  await expect(panel.locator('header')).toContainText('Requires action');

  await api.submitToolOutputs(waiting, '{"temperature": 12}');
  await api.waitForStatus(waiting, 'completed');
  await expect(panel.locator('header')).toContainText('Requires action');

  await panel.getByRole('button', { name: 'Cancel run' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cancel this run?' });
  await dialog.getByRole('button', { name: 'Cancel run' }).click();
  await expect(dialog.getByRole('status')).toContainText(
    'This run had already ended (completed) before the cancel arrived, so there was nothing to cancel.',
  );
  await expect(dialog).toContainText("The server said: Cannot cancel run with status 'completed'.");
  await expect(dialog.getByRole('alert')).toHaveCount(0);

  await page.unroute(isListPoll);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
  await expect(panel.locator('header')).toContainText('Completed');
  await expect(page.getByRole('row').filter({ hasText: waiting.id })).toContainText('Completed');
});
