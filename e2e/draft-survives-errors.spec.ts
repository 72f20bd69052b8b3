import { expect, test } from './fixtures';
import { appliedCount, clearFault, injectFault, OVERLOADED } from './helpers/fault-admin';
import { assistantsApi, weatherTool } from './helpers/assistants-api';

/**
 * What a person typed survives a misbehaving backend: failing polls and a refused submit leave the tool-outputs
 * draft, its caret and its focus alone, the failed submit is sent exactly once (mutations are never retried), and
 * the same draft goes through once the fault is cleared. Faults are scoped to this journey's thread.
 */
// Chromium logs every failed request as "Failed to load resource: …": here those failures are the point.
test.use({ allowedConsoleErrors: [/^Failed to load resource/] });

test('a tool-outputs draft survives failing polls and a refused submit, which is sent once and then goes through', async ({
  page,
  request,
}) => {
  const api = assistantsApi(request);
  const assistant = await api.createAssistant({ name: 'Faulty Desk', tools: [weatherTool] });
  const thread = await api.createThread();
  const run = await api.createRun(thread.id, { assistant_id: assistant.id });

  await page.goto(`/?thread=${thread.id}&run=${run.id}`);
  const panel = page.getByRole('complementary', { name: 'Run detail' });
  const form = panel.getByRole('form', { name: 'Tool outputs' });
  const weather = form.getByRole('textbox', { name: 'Output for get_weather' });
  const typed = '{"temperature": 21, "unit": "celsius"}';
  await weather.fill(typed);
  await weather.evaluate((field: HTMLTextAreaElement) => field.setSelectionRange(5, 5));

  // Every read of this thread fails for a while (the dashboard's own reads, played by the browser: the emulator's
  // fault rules act on /v1 only), and the thread changes in bulk so that its runs must be read again (a seed makes the
  // feed send `reset`): banners come, the draft stays where it was.
  const isThreadRead = (url: URL) =>
    (url.pathname.startsWith('/api/runs') && url.searchParams.get('thread_id') === thread.id) ||
    url.pathname.startsWith(`/v1/threads/${thread.id}/`);
  await page.route(isThreadRead, (route) =>
    route.request().method() === 'GET' ? route.fulfill({ status: 503, json: OVERLOADED }) : route.fallback(),
  );
  const faults: string[] = [];
  try {
    await assistantsApi(request).seedRuns(thread.id, 3, assistant.id);
    await expect(page.getByRole('alert').filter({ hasText: 'refreshing failed' }).first()).toBeVisible({
      timeout: 20_000,
    });
    await expect(weather).toHaveValue(typed);
    await expect(weather).toBeFocused();
    expect(await weather.evaluate((field: HTMLTextAreaElement) => field.selectionStart)).toBe(5);

    // The submit is refused by the backend: one request, no automatic retry, the draft kept.
    const submitFault = await injectFault(request, {
      method: 'POST',
      path: `/v1/threads/${thread.id}/runs/${run.id}/submit_tool_outputs`,
      status: 503,
    });
    faults.push(submitFault);
    await form.getByRole('button', { name: /Submit tool outputs/ }).click();
    await expect(form.getByRole('alert')).toContainText(
      'The outputs were not accepted: The engine is currently overloaded, please try again later. Your draft is kept.',
    );
    expect(await appliedCount(request, submitFault)).toBe(1);
    await expect(weather).toHaveValue(typed);
  } finally {
    await page.unroute(isThreadRead);
    for (const id of faults) await clearFault(request, id);
  }

  // The backend is back: the banners go and the same draft goes through.
  await expect(page.getByRole('alert').filter({ hasText: 'refreshing failed' })).toHaveCount(0, {
    timeout: 15_000,
  });
  await expect(weather).toHaveValue(typed);
  await form.getByRole('button', { name: /Submit tool outputs/ }).click();
  await expect(panel.getByRole('region', { name: 'Tool outputs' })).toContainText(
    'Tool outputs submitted from here.',
  );
  expect((await api.waitForStatus(run, 'completed')).status).toBe('completed');
});
