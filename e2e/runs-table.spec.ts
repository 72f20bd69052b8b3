import { expect, test } from './fixtures';
import { assistantsApi } from './helpers/assistants-api';

test('filter by status, search, sort and column choice, kept in the URL and across reloads', async ({
  page,
  request,
}) => {
  const api = assistantsApi(request);
  const assistant = await api.createAssistant({ name: 'Sorter' });
  const thread = await api.createThread();
  const failed = await api.createRun(thread.id, {
    assistant_id: assistant.id,
    metadata: { runboard_scenario: 'fail_server_error', env: 'prod' },
  });
  await api.waitUntilEnded(failed);
  const completed = await api.createRun(thread.id, {
    assistant_id: assistant.id,
    metadata: { env: 'staging' },
  });
  await api.waitUntilEnded(completed);
  const incomplete = await api.createRun(thread.id, {
    assistant_id: assistant.id,
    model: 'gpt-4o-mini',
    metadata: { runboard_scenario: 'incomplete_max_completion_tokens', env: 'prod' },
  });
  await api.waitUntilEnded(incomplete);

  await page.goto(`/?thread=${thread.id}`);
  const grid = page.getByRole('grid', { name: 'Runs' });
  const bodyRows = grid.getByRole('row').filter({ hasText: /run_/ });
  await expect(bodyRows).toHaveCount(3);
  // The outcome column: the error code and message, the incomplete reason.
  await expect(bodyRows.filter({ hasText: failed.id })).toContainText('server_error');
  await expect(bodyRows.filter({ hasText: incomplete.id })).toContainText('max_completion_tokens');

  // Status filter, with counts.
  const statusFilter = page.getByRole('group', { name: 'Filter by status' });
  await expect(statusFilter.getByRole('button', { name: /Failed\s*1/ })).toBeVisible();
  await statusFilter.getByRole('button', { name: /Failed/ }).click();
  await expect(bodyRows).toHaveCount(1);
  await expect(bodyRows.first()).toContainText(failed.id);
  await expect(page).toHaveURL(/status=failed/);
  await statusFilter.getByRole('button', { name: 'Clear filter' }).click();
  await expect(bodyRows).toHaveCount(3);

  // Search over metadata, model, assistant name and id.
  const search = page.getByRole('searchbox', { name: 'Search runs' });
  await search.fill('env: prod');
  await expect(bodyRows).toHaveCount(2);
  await search.fill('mini');
  await expect(bodyRows).toHaveCount(1);
  await expect(bodyRows.first()).toContainText(incomplete.id);
  // The assistant's name, as the table shows it, with another word.
  await search.fill('sorter prod');
  await expect(bodyRows).toHaveCount(2);
  // A whole run id pasted finds that run, and so does its start pasted alone, in any case; a piece of its middle
  // does not (the search's help says so).
  await search.fill(completed.id);
  await expect(bodyRows).toHaveCount(1);
  await expect(bodyRows.first()).toContainText(completed.id);
  await search.fill('');
  await expect(bodyRows).toHaveCount(3);
  await search.fill(completed.id.slice(0, 11).toLowerCase());
  await expect(bodyRows).toHaveCount(1);
  await expect(bodyRows.first()).toContainText(completed.id);
  await search.fill(completed.id.slice(10, 18));
  await expect(bodyRows).toHaveCount(0);
  await search.fill('');

  // Sort by status in lifecycle order (… cancelled, failed, completed, incomplete, expired), then reversed.
  await grid.getByRole('button', { name: 'Status' }).click();
  await expect(grid.getByRole('columnheader', { name: 'Status' })).toHaveAttribute('aria-sort', 'ascending');
  await expect(bodyRows.nth(0)).toContainText(failed.id);
  await expect(bodyRows.nth(1)).toContainText(completed.id);
  await expect(bodyRows.nth(2)).toContainText(incomplete.id);
  await grid.getByRole('button', { name: 'Status' }).click();
  await expect(bodyRows.nth(0)).toContainText(incomplete.id);
  await expect(page).toHaveURL(/sort=status\.desc/);

  // Created, oldest first.
  await grid.getByRole('button', { name: 'Created' }).click();
  await grid.getByRole('button', { name: 'Created' }).click();
  await expect(grid.getByRole('columnheader', { name: 'Created' })).toHaveAttribute('aria-sort', 'ascending');
  await expect(bodyRows.nth(0)).toContainText(failed.id);

  // Hide a column; it stays hidden after a reload, as does the sort.
  await page.getByRole('button', { name: 'Columns' }).click();
  await page.getByRole('checkbox', { name: 'Model' }).uncheck();
  await expect(grid.getByRole('columnheader', { name: 'Model' })).toHaveCount(0);
  await page.reload();
  await expect(grid.getByRole('columnheader', { name: 'Created' })).toHaveAttribute('aria-sort', 'ascending');
  await expect(grid.getByRole('columnheader', { name: 'Model' })).toHaveCount(0);
  await page.getByRole('button', { name: /Columns/ }).click();
  await page.getByRole('checkbox', { name: 'Model' }).check();
  await expect(grid.getByRole('columnheader', { name: 'Model' })).toBeVisible();
});

test('a thread of 300 runs loads more as the person scrolls', async ({ page, request }) => {
  const api = assistantsApi(request);
  const assistant = await api.createAssistant();
  const thread = await api.createThread();
  await api.seedRuns(thread.id, 300, assistant.id);

  await page.goto(`/?thread=${thread.id}`);
  const loaded = page.getByRole('status').filter({ hasText: /runs? loaded/ });
  // The footer says how many of the thread's runs are loaded, never only the loaded ones.
  await expect(loaded).toHaveText('100 of 300 runs loaded');
  // Only the rows on screen are in the page.
  const renderedRows = await page.getByRole('grid', { name: 'Runs' }).getByRole('row').count();
  expect(renderedRows).toBeLessThan(60);

  // The grid scrolls inside its container, its parent (which also holds the "runs loaded" line below it).
  const scroller = page.getByRole('grid', { name: 'Runs' }).locator('xpath=..');
  for (const expected of ['200 of 300 runs loaded', '300 runs loaded']) {
    await expect(async () => {
      await scroller.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
      await expect(loaded).toContainText(expected, { timeout: 1_000 });
    }).toPass();
  }
  await expect(loaded).toHaveText('300 runs loaded');
  await expect(page.getByRole('button', { name: 'Load more' })).toHaveCount(0);

  // Scrolled into the middle, a run that arrives on top does not move what the person is reading.
  await scroller.evaluate((element) => element.scrollTo({ top: 150 * 44 }));
  const grid = page.getByRole('grid', { name: 'Runs' });
  // The 155th run: in view once the scroll has rendered that part of the list.
  const reading = grid.locator('[role="row"][aria-rowindex="156"]');
  await expect(reading).toBeVisible();
  const readingId = await reading.getAttribute('data-run-id');
  const anchor = grid.locator(`[data-run-id="${readingId}"]`);
  const before = (await anchor.boundingBox())!.y;
  const fresh = await api.createRun(thread.id, { assistant_id: assistant.id });
  // Through the change feed: no poll to wait for.
  await expect(loaded).toHaveText('301 runs loaded');
  expect((await anchor.boundingBox())!.y).toBe(before);
  await scroller.evaluate((element) => element.scrollTo({ top: 0 }));
  await expect(grid.getByRole('row').nth(1)).toContainText(fresh.id);
});

test('under a sort, a run that moves by its own new value does not drag the view after it', async ({
  page,
  request,
}) => {
  const api = assistantsApi(request);
  const assistant = await api.createAssistant();
  const thread = await api.createThread();
  await api.seedRuns(thread.id, 100, assistant.id);

  // Sorted by metadata: every seeded run has none, so they keep their loaded order until one gets some.
  await page.goto(`/?thread=${thread.id}&sort=metadata.asc`);
  const grid = page.getByRole('grid', { name: 'Runs' });
  await expect(page.getByRole('status').filter({ hasText: /runs? loaded/ })).toHaveText('100 runs loaded');
  const scroller = grid.locator('xpath=..');
  await scroller.evaluate((element) => element.scrollTo({ top: 40 * 44 }));
  // The first row in view (the 41st run) is where the person reads.
  const reading = grid.locator('[role="row"][aria-rowindex="42"]');
  await expect(reading).toBeVisible();
  const readingId = (await reading.getAttribute('data-run-id'))!;
  const nextId = (await grid.locator('[role="row"][aria-rowindex="43"]').getAttribute('data-run-id'))!;
  const scrollTop = await scroller.evaluate((element) => element.scrollTop);

  // Edited elsewhere: its metadata now sorts it last. The change feed brings it.
  await api.modifyRun({ thread_id: thread.id, id: readingId }, { note: 'zz' });
  await expect(reading).toHaveAttribute('data-run-id', nextId);
  expect(await scroller.evaluate((element) => element.scrollTop)).toBe(scrollTop);
});
