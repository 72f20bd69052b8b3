import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { assistantsApi, weatherTool } from './helpers/assistants-api';

/**
 * The run's row in a home section. A section shows its first five runs (the e2e server is shared: other journeys'
 * runs may come first); a run past them is in the All runs list its "View all" link filters.
 */
async function rowInSection(page: Page, name: string, runId: string) {
  const grid = page.getByRole('grid', { name });
  await expect(grid.locator('[data-run-id]').first()).toBeVisible();
  const row = grid.locator(`[data-run-id="${runId}"]`);
  if ((await row.count()) > 0) return row;
  await page
    .getByRole('region', { name: new RegExp(`^${name}`) })
    .getByRole('link', { name: /View all/ })
    .click();
  return page.getByRole('grid', { name: 'Runs' }).locator(`[data-run-id="${runId}"]`);
}

test('the home view across threads: waiting runs first, then active ones, then failures, then every run', async ({
  page,
  request,
}) => {
  const api = assistantsApi(request);
  const assistant = await api.createAssistant({ name: 'Home Desk', tools: [weatherTool] });
  const plain = await api.createAssistant({ name: 'Home Plain' });
  const [waitingThread, activeThread, failingThread] = [
    await api.createThread(),
    await api.createThread(),
    await api.createThread(),
  ];
  const waiting = await api.createRun(waitingThread.id, { assistant_id: assistant.id });
  await api.waitForStatus(waiting, 'requires_action');
  const active = await api.createRun(activeThread.id, {
    assistant_id: plain.id,
    metadata: { runboard_scenario: 'slow' },
  });
  const failing = await api.createRun(failingThread.id, {
    assistant_id: plain.id,
    metadata: { runboard_scenario: 'fail_server_error' },
  });
  await api.waitForStatus(failing, 'failed');

  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('All threads');
  const sections = page.getByRole('main').getByRole('heading', { level: 2 });
  await expect(sections).toHaveText([
    /^Needs input\s*\d+$/,
    /^Active\s*\d+$/,
    /^Failed in the last 24 hours\s*\d+$/,
    'All runs',
  ]);

  await expect(await rowInSection(page, 'Needs input', waiting.id)).toContainText(waitingThread.id);
  await expect(await rowInSection(page, 'Active', active.id)).toBeVisible();
  await page.goto('/');
  const activeSection = page.getByRole('grid', { name: 'Active' });
  const failures = page.getByRole('grid', { name: 'Failed in the last 24 hours' });
  // Newest first: this journey's failure is on top.
  await expect(failures.locator(`[data-run-id="${failing.id}"]`)).toBeVisible();

  // Every run, across threads, searchable like a thread's: a thread id finds that thread's runs.
  const all = page.getByRole('grid', { name: 'Runs' });
  await page.getByRole('searchbox', { name: 'Search runs' }).fill(activeThread.id);
  await expect(
    all
      .locator('xpath=..')
      .getByRole('status')
      .filter({ hasText: /runs? loaded/ }),
  ).toHaveText('1 matching run loaded');
  await expect(all.locator(`[data-run-id="${active.id}"]`)).toContainText(activeThread.id);

  // A change arrives in place: the active run cancelled elsewhere leaves the Active section.
  await api.cancelRun(active);
  await expect(activeSection.locator(`[data-run-id="${active.id}"]`)).toHaveCount(0);

  // Opening a run goes to its thread with the run panel open.
  await page.getByRole('searchbox', { name: 'Search runs' }).fill('');
  await (await rowInSection(page, 'Needs input', waiting.id)).click();
  await expect(page).toHaveURL(new RegExp(`thread=${waitingThread.id}.*run=${waiting.id}`));
  await expect(page.getByRole('complementary', { name: 'Run detail' })).toContainText(waiting.id);
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('All threads');
});
