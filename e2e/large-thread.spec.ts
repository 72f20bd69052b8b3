import { readFile } from 'node:fs/promises';
import { expect, test } from './fixtures';
import { assistantsApi } from './helpers/assistants-api';

const RUNS = 3_000;

test(`on a thread of ${RUNS.toLocaleString('en')} runs, the counts, the sort, an id search and the export are the thread's, not the loaded page's`, async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const api = assistantsApi(request);
  const assistant = await api.createAssistant({ name: 'Scale Desk' });
  const thread = await api.createThread();
  await api.seedRuns(thread.id, RUNS, assistant.id);
  // The truth, read through OpenAI's own list endpoint.
  const all = await api.listAllRuns(thread.id);
  expect(all).toHaveLength(RUNS);
  const failed = all.filter((run) => run.status === 'failed').length;
  const topTokens = Math.max(...all.map((run) => run.usage?.total_tokens ?? -1));
  const oldest = all.at(-1)!;

  await page.goto(`/?thread=${thread.id}`);
  const grid = page.getByRole('grid', { name: 'Runs' });
  // The footer sits beside the grid, in its scroll container (a grid holds only rows).
  const loaded = grid
    .locator('xpath=..')
    .getByRole('status')
    .filter({ hasText: /runs? loaded/ });
  await expect(loaded).toHaveText(`100 of ${RUNS.toLocaleString('en')} runs loaded`);

  // Counts: the thread's, while only 100 runs are loaded.
  const statusFilter = page.getByRole('group', { name: 'Filter by status' });
  await expect(statusFilter.getByRole('button', { name: new RegExp(`^Failed\\s*${failed}$`) })).toBeVisible();
  await statusFilter.getByRole('button', { name: /Failed/ }).click();
  await expect(loaded).toHaveText(`100 of ${failed} matching runs loaded`);
  await expect(grid.locator('[role="row"][data-status]').first()).toHaveAttribute('data-status', 'failed');
  await statusFilter.getByRole('button', { name: 'Clear filter' }).click();

  // Sort by tokens, highest first: the thread's top run comes first.
  await grid.getByRole('button', { name: 'Tokens' }).click();
  await expect(grid.getByRole('columnheader', { name: 'Tokens' })).toHaveAttribute('aria-sort', 'descending');
  await expect(grid).not.toHaveAttribute('aria-busy', 'true');
  const firstId = await grid.locator('[role="row"][data-run-id]').first().getAttribute('data-run-id');
  expect(all.find((run) => run.id === firstId)?.usage?.total_tokens).toBe(topTokens);
  // A second click reverses it; the default order (Created, newest first) is a click on Created.
  await grid.getByRole('button', { name: 'Tokens' }).click();
  await expect(grid.getByRole('columnheader', { name: 'Tokens' })).toHaveAttribute('aria-sort', 'ascending');
  await grid.getByRole('button', { name: 'Created' }).click();
  await expect(page).not.toHaveURL(/sort=/);

  // The oldest run's full id finds it, 3,000 runs down.
  const search = page.getByRole('searchbox', { name: 'Search runs' });
  await search.fill(oldest.id);
  await expect(loaded).toHaveText('1 matching run loaded');
  await expect(grid.locator('[role="row"][data-run-id]')).toHaveCount(1);
  await expect(grid.locator(`[data-run-id="${oldest.id}"]`)).toBeVisible();
  await search.fill('');
  await expect(loaded).toHaveText(`100 of ${RUNS.toLocaleString('en')} runs loaded`);

  // Export writes every run of the thread, read page by page, and says so.
  const exportGroup = page.getByRole('group', { name: 'Export the view' });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    exportGroup.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  await expect(exportGroup.getByRole('status', { name: 'Export progress' })).toHaveText(
    `Wrote ${RUNS.toLocaleString('en')} of ${RUNS.toLocaleString('en')} runs`,
  );
  const lines = (await readFile((await download.path())!, 'utf8')).trimEnd().split('\r\n');
  expect(lines).toHaveLength(RUNS + 1);
  expect(new Set(lines.slice(1).map((line) => line.split(',')[1]))).toEqual(
    new Set(all.map((run) => run.id)),
  );
});
