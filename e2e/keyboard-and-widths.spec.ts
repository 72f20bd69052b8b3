import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { lookupOrderTool, assistantsApi } from './helpers/assistants-api';

// Watching an id the server does not know makes it answer 404, which Chromium logs.
test.use({ allowedConsoleErrors: [/Failed to load resource: the server responded with a status of 404/] });

async function focusedInGrid(page: Page): Promise<boolean> {
  return page.evaluate(() => Boolean(document.activeElement?.closest('[role="grid"]')));
}

test('by keyboard alone: the runs grid is one Tab stop, t and p move between table and panel, ? lists the keys', async ({
  page,
  request,
}) => {
  const api = assistantsApi(request);
  const plain = await api.createAssistant({ name: 'Keys Plain' });
  const withTools = await api.createAssistant({ name: 'Keys Tools', tools: [lookupOrderTool] });
  const thread = await api.createThread({ customer: 'keyboard' });
  const first = await api.createRun(thread.id, { assistant_id: plain.id });
  await api.waitUntilEnded(first);
  const waiting = await api.createRun(thread.id, { assistant_id: withTools.id });
  await expect.poll(async () => (await api.getRun(waiting)).status).toBe('requires_action');

  await page.goto(`/?thread=${thread.id}`);
  const grid = page.getByRole('grid', { name: 'Runs' });
  await expect(grid.getByRole('row').filter({ hasText: waiting.id })).toContainText('Needs input');

  // t: the table's Tab stop (the first row); one Tab leaves the grid (copy and cancel buttons are not stops).
  await page.keyboard.press('t');
  await expect(grid.getByRole('row').filter({ hasText: waiting.id })).toBeFocused();
  await page.keyboard.press('Tab');
  expect(await focusedInGrid(page)).toBe(false);
  await page.keyboard.press('Shift+Tab');
  expect(await focusedInGrid(page)).toBe(true);

  // Arrows move inside; Enter opens the run; p goes to the panel, where Tab reaches the tool outputs form.
  await page.keyboard.press('ArrowDown');
  await expect(grid.getByRole('row').filter({ hasText: first.id })).toBeFocused();
  await page.keyboard.press('k');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`run=${waiting.id}`));
  const panel = page.getByRole('complementary', { name: 'Run detail' });
  const output = panel.getByRole('textbox', { name: 'Output for lookup_order' });
  await expect(output).toBeVisible();
  await page.keyboard.press('t');
  expect(await focusedInGrid(page)).toBe(true);
  await page.keyboard.press('p');
  await expect(panel.getByRole('heading', { name: 'Run', exact: true })).toBeFocused();
  let tabs = 0;
  while (!(await output.evaluate((element) => element === document.activeElement)) && tabs < 30) {
    await page.keyboard.press('Tab');
    tabs += 1;
  }
  expect(tabs, 'Tabs from the panel top to the tool output').toBeLessThan(30);
  await page.keyboard.type('{"found": true}');
  await page.keyboard.press('Tab');
  await expect(panel.getByRole('button', { name: /Submit tool outputs/ })).toBeFocused();

  // A column header by keyboard: ↑ from the first row, Shift+→ widens it, the width survives a reload.
  await page.keyboard.press('t');
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowUp');
  const statusHeader = grid.getByRole('columnheader', { name: 'Status' });
  await expect(statusHeader.getByRole('button')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  const runHeader = grid.getByRole('columnheader', { name: 'Run' });
  await expect(runHeader.getByRole('button')).toBeFocused();
  const before = (await runHeader.boundingBox())!.width;
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  await expect.poll(async () => (await runHeader.boundingBox())!.width).toBeGreaterThan(before + 20);
  await page.reload();
  await expect.poll(async () => (await runHeader.boundingBox())!.width).toBeGreaterThan(before + 20);
  // And with a mouse, by the header's edge.
  const widened = (await runHeader.boundingBox())!.width;
  const handle = (await runHeader.locator('[title^="Drag to resize"]').boundingBox())!;
  await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
  await page.mouse.down();
  await page.mouse.move(handle.x + 60, handle.y + handle.height / 2, { steps: 4 });
  await page.mouse.up();
  await expect.poll(async () => (await runHeader.boundingBox())!.width).toBeGreaterThan(widened + 40);

  // ? lists the shortcuts; Escape closes it.
  await page.locator('body').press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toContainText('Focus the run panel');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
});

test('Watch asks the server first: an unknown id is said and nothing is saved; the theme choice is remembered', async ({
  page,
}) => {
  await page.goto('/');
  const threads = page.getByRole('navigation', { name: 'Threads' });
  const input = threads.getByRole('textbox', { name: 'Watch a thread by id' });
  await input.fill('thread_doesNotExist0000000000');
  await threads.getByRole('button', { name: 'Watch', exact: true }).click();
  await expect(threads.getByRole('alert')).toHaveText(
    'No thread thread_doesNotExist0000000000 on this server; nothing was added.',
  );
  await expect(threads.getByRole('button', { name: /Stop watching/ })).toHaveCount(0);
  await expect(page.getByRole('status', { name: /^Connection/ })).not.toHaveAccessibleName(/Errors/);
  expect(await page.evaluate(() => localStorage.getItem('runboard.watchedThreads'))).toBeNull();

  await page.getByRole('button', { name: 'Dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByRole('button', { name: 'Dark theme' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'Light theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});

for (const [width, height] of [
  [390, 844],
  [1024, 768],
  [1280, 800],
  [1440, 900],
  [1920, 1080],
  [2560, 1440],
] as const) {
  test(`at ${width} px with a run open: no header control is cut, status and run id show, nothing scrolls sideways`, async ({
    page,
    request,
  }) => {
    const api = assistantsApi(request);
    const withTools = await api.createAssistant({ name: 'Widths', tools: [lookupOrderTool] });
    const thread = await api.createThread({ customer: `width ${width}` });
    const waiting = await api.createRun(thread.id, { assistant_id: withTools.id });
    await expect.poll(async () => (await api.getRun(waiting)).status).toBe('requires_action');
    await page.setViewportSize({ width, height });
    await page.goto(`/?thread=${thread.id}&run=${waiting.id}`);
    const panel = page.getByRole('complementary', { name: 'Run detail' });
    await expect(panel.getByRole('textbox', { name: 'Output for lookup_order' })).toBeVisible();

    // The page never scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    // Every button of the header and of the thread header is whole and on screen (below 768 px the run is a sheet
    // over them: closed first).
    if (width < 768) await panel.getByRole('button', { name: 'Close run detail' }).click();
    const controls = page.locator('header button, main > div > div:first-child button');
    for (const control of await controls.all()) {
      if (!(await control.isVisible())) continue;
      const cut = await control.evaluate(
        (element) =>
          element.scrollWidth > element.clientWidth + 1 ||
          element.getBoundingClientRect().right > window.innerWidth + 0.5 ||
          element.getBoundingClientRect().left < -0.5,
      );
      expect(cut, `${await control.textContent()} is whole`).toBe(false);
    }
    const row = page.getByRole('grid', { name: 'Runs' }).getByRole('row').filter({ hasText: waiting.id });
    await expect(row.getByText('Needs input')).toBeInViewport();
    await expect(row.getByText(waiting.id, { exact: true })).toBeInViewport();
  });
}
