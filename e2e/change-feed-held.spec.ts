import { expect, test } from './fixtures';
import { assistantsApi } from './helpers/assistants-api';

test('a change feed held back by a buffering proxy is treated as down: the dashboard polls and says why', async ({
  page,
  request,
}) => {
  // A proxy that buffers answers holds the stream back whole: the request is never answered.
  await page.route(
    (url) => url.pathname === '/api/changes',
    () => new Promise<void>(() => {}),
  );
  const api = assistantsApi(request);
  const assistant = await api.createAssistant({ name: 'Held Feed Assistant' });
  const thread = await api.createThread({ topic: 'held feed' });
  await page.goto(`/?thread=${thread.id}`);
  await expect(page.getByText('No runs in this thread yet')).toBeVisible();

  // Within a few seconds the indicator says the stream never opened, and polling takes over.
  const indicator = page.getByRole('status', { name: 'Connection: Polling' });
  await expect(indicator).toBeVisible({ timeout: 10_000 });
  await expect(indicator).toContainText('stream held back');
  await expect(indicator).toHaveAttribute(
    'title',
    /did not open within 5 s \(a proxy in between may be buffering it\)/,
  );

  // A run started elsewhere still shows, by polling, without a reload.
  const run = await api.createRun(thread.id, { assistant_id: assistant.id });
  await expect(page.getByRole('row').filter({ hasText: run.id })).toBeVisible({ timeout: 25_000 });
  await page.unrouteAll({ behavior: 'ignoreErrors' });
});
