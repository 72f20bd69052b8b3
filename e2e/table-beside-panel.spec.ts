import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { assistantsApi, lookupOrderTool, weatherTool } from './helpers/assistants-api';
import { apiRequest } from './helpers/api-request';
import type { Run, Thread } from '../src/shared/openai-types';

/** The header row's columns fill its width: the last one ends at the row's content edge (no blank strip). */
async function expectColumnsFillTheRow(page: Page, gridName: string) {
  const header = page.getByRole('grid', { name: gridName }).getByRole('row').first();
  const gap = await header.evaluate((row) => {
    const cells = [...row.querySelectorAll('[role="columnheader"]')];
    const last = cells.at(-1)!.getBoundingClientRect();
    const box = row.getBoundingClientRect();
    return box.right - Number.parseFloat(getComputedStyle(row).paddingRight) - last.right;
  });
  expect(Math.abs(gap)).toBeLessThan(2);
}

test('a waiting run shows what it was asked and what it asks for, in the table and the panel, and is found by it', async ({
  page,
  request,
}) => {
  const api = assistantsApi(request);
  const assistant = await api.createAssistant({
    name: 'Preview Desk',
    tools: [weatherTool, lookupOrderTool],
  });
  const thread = await apiRequest(request).post<Thread>('/v1/threads', {
    messages: [{ role: 'user', content: 'Parcel 4417 is late and it rains in Lyon' }],
  });
  const run = await api.createRun(thread.id, { assistant_id: assistant.id });
  await api.waitForStatus(run, 'requires_action');

  await page.goto(`/?thread=${thread.id}`);
  const row = page.getByRole('grid', { name: 'Runs' }).locator(`[data-run-id="${run.id}"]`);
  await expect(row).toContainText('Parcel 4417 is late and it rains in Lyon');
  await expect(row).toContainText('Asks for get_weather, lookup_order');

  // Found by what it was asked, across every thread (home), by the server.
  await page.goto('/');
  await page.getByRole('searchbox', { name: 'Search runs' }).fill('parcel 4417');
  const all = page.getByRole('grid', { name: 'Runs' });
  await expect(all.locator(`[data-run-id="${run.id}"]`)).toBeVisible();
  await expect(all.locator('[data-run-id]')).toHaveCount(1);

  // Opened with Enter from the home view: the panel has the focus, and says what the run was asked.
  await all.locator(`[data-run-id="${run.id}"]`).focus();
  await page.keyboard.press('Enter');
  const panel = page.getByRole('complementary', { name: 'Run detail' });
  await expect(panel.getByRole('heading', { name: 'Run', exact: true })).toBeFocused();
  await expect(panel).toContainText('Parcel 4417 is late and it rains in Lyon');
  // The main action stays in view: the action bar's Submit. With an output empty it goes to that box and says why.
  const bar = panel.getByRole('toolbar', { name: 'Run actions' });
  await expect(bar.getByRole('button', { name: 'Cancel run' })).toBeInViewport();
  const barSubmit = bar.getByRole('button', { name: 'Submit outputs' });
  await expect(barSubmit).toBeInViewport();
  await barSubmit.click();
  const weather = panel.getByRole('textbox', { name: 'Output for get_weather' });
  const order = panel.getByRole('textbox', { name: 'Output for lookup_order' });
  await expect(weather).toBeFocused();
  const why = panel.getByRole('status').filter({ hasText: /^Write the output/ });
  await expect(why).toHaveText(
    "Write the output for get_weather first (2 of 2 are empty): every call's output goes in the one request.",
  );
  await page.keyboard.type('{"rain": true}');
  await expect(why).toHaveCount(0);
  // By keyboard too: the bar's Submit is a button like any.
  await barSubmit.focus();
  await page.keyboard.press('Enter');
  await expect(order).toBeFocused();
  await expect(why).toHaveText(/^Write the output for lookup_order first:/);
  expect((await api.getRun(run)).status).toBe('requires_action');
  await order.fill('{"status": "late"}');

  // Every output written: the bar submits through the form (its request, its confirmation, where the focus lands).
  await barSubmit.click();
  const confirmation = panel.getByRole('status').filter({ hasText: 'Tool outputs submitted from here.' });
  await expect(confirmation).toBeFocused();
  await expect(barSubmit).toHaveCount(0);
  const answered = await api.waitForStatus(run, 'completed');
  expect(answered.required_action).toBeNull();
});

test('the sorted and filtered columns stay beside the open panel, the columns fill the width, the default sort shows its arrow', async ({
  page,
  request,
}) => {
  const api = assistantsApi(request);
  const thread = await api.createThread({ topic: 'wide table' });
  await api.seedRuns(thread.id, 60);
  const runs = await api.listAllRuns(thread.id);
  const failed = runs.find((run) => run.status === 'failed')!;
  await page.setViewportSize({ width: 1024, height: 768 });
  const grid = page.getByRole('grid', { name: 'Runs' });

  // A link sorted by tokens shows Tokens, even with the panel open at 1024 px.
  await page.goto(`/?thread=${thread.id}&sort=tokens.desc&run=${runs[0]!.id}`);
  await expect(page.getByRole('complementary', { name: 'Run detail' })).toContainText(runs[0]!.id);
  await expect(grid.getByRole('columnheader', { name: 'Tokens' })).toHaveAttribute('aria-sort', 'descending');
  await expectColumnsFillTheRow(page, 'Runs');

  // Filtering Failed keeps Outcome, where the failure is.
  await page.goto(`/?thread=${thread.id}&status=failed&run=${failed.id}`);
  await expect(grid.getByRole('columnheader', { name: 'Outcome' })).toBeVisible();
  await expect(grid.locator(`[data-run-id="${failed.id}"]`)).toContainText(failed.last_error!.code);
  await expectColumnsFillTheRow(page, 'Runs');

  // No sort asked: newest first, with its arrow; the first click on Created turns it around.
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`/?thread=${thread.id}`);
  const created = grid.getByRole('columnheader', { name: 'Created' });
  await expect(created).toHaveAttribute('aria-sort', 'descending');
  await created.getByRole('button').click();
  await expect(created).toHaveAttribute('aria-sort', 'ascending');
  await expect(page).toHaveURL(/sort=created\.asc/);
  await expectColumnsFillTheRow(page, 'Runs');
});

test('an ended run offers no cancel; the action bar opens the metadata editor; focus follows each step', async ({
  page,
  request,
}) => {
  const api = assistantsApi(request);
  const assistant = await api.createAssistant({ name: 'Metadata Bar' });
  const thread = await api.createThread();
  const run = await api.waitForStatus(
    await api.createRun(thread.id, { assistant_id: assistant.id }),
    'completed',
  );
  await page.setViewportSize({ width: 1280, height: 600 });
  await page.goto(`/?thread=${thread.id}&run=${run.id}`);
  const panel = page.getByRole('complementary', { name: 'Run detail' });
  const bar = panel.getByRole('toolbar', { name: 'Run actions' });
  await expect(bar.getByRole('button', { name: 'Edit metadata' })).toBeInViewport();
  await expect(panel.getByRole('button', { name: 'Cancel run' })).toHaveCount(0);

  // The bar jumps to the editor (far below at 600 px tall, out of view) and opens it, on its first key.
  const section = panel.getByRole('region', { name: 'Metadata' });
  await expect(section.getByRole('button', { name: 'Edit metadata' })).not.toBeInViewport();
  await bar.getByRole('button', { name: 'Edit metadata' }).click();
  const firstKey = panel.getByRole('textbox', { name: 'Metadata key 1' });
  await expect(firstKey).toBeFocused();
  await expect(firstKey).toBeInViewport();
  await page.keyboard.type('ticket');
  await panel.getByRole('textbox', { name: 'Metadata value 1' }).fill('SUP-1');
  // "+ Add pair": the new key is next.
  await panel.getByRole('button', { name: '+ Add pair' }).click();
  await expect(panel.getByRole('textbox', { name: 'Metadata key 2' })).toBeFocused();
  await page.keyboard.type('owner');
  await panel.getByRole('textbox', { name: 'Metadata value 2' }).fill('ops');
  await panel.getByRole('textbox', { name: 'Metadata value 2' }).press('Enter');

  // Saved: focus back on the section's Edit metadata, beside the confirmation.
  await expect(section.getByRole('status')).toHaveText('Metadata saved.');
  await expect(section.getByRole('button', { name: 'Edit metadata' })).toBeFocused();
  expect((await api.getRun(run)).metadata).toEqual({ ticket: 'SUP-1', owner: 'ops' });
});

test('home: short sections without scrollers, their count and a View all into the filtered list', async ({
  page,
  request,
}) => {
  const api = assistantsApi(request);
  const assistant = await api.createAssistant({ name: 'Home Failures' });
  // At least six failures in the last day, so the section shows five of them.
  const failing: Run[] = [];
  for (let index = 0; index < 6; index++) {
    const thread = await api.createThread();
    failing.push(
      await api.createRun(thread.id, {
        assistant_id: assistant.id,
        metadata: { runboard_scenario: 'fail_server_error' },
      }),
    );
  }
  for (const run of failing) await api.waitForStatus(run, 'failed');

  await page.goto('/');
  const section = page.getByRole('region', { name: /^Failed in the last 24 hours/ });
  const grid = section.getByRole('grid');
  await expect(grid.locator('[data-run-id]')).toHaveCount(5);
  // Nothing scrolls inside the page, and no "runs loaded" line under the rows: the count is beside the title.
  const inner = await grid
    .locator('xpath=..')
    .evaluate((element) => element.scrollHeight - element.clientHeight);
  expect(inner).toBeLessThanOrEqual(0);
  await expect(section.getByText(/runs? loaded/)).toHaveCount(0);
  await expect(section.getByText(/^5 of [\d,]+ shown$/)).toBeVisible();
  // The column headers show once, above All runs.
  const headerBox = await grid.getByRole('rowgroup').first().boundingBox();
  expect(headerBox!.height).toBeLessThanOrEqual(1);

  await section.getByRole('link', { name: 'View all failed' }).click();
  await expect(page).toHaveURL(/status=failed(&|$)/);
  await expect(page.getByRole('button', { name: /^Failed/ })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('heading', { name: 'All runs' })).toBeInViewport();
});
