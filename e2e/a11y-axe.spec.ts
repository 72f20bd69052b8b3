import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { lookupOrderTool, assistantsApi } from './helpers/assistants-api';

/**
 * Issue 14's bar: no serious or critical axe-core violation on any view or dialog, in the light and the dark theme
 * (chosen through the theme switch's remembered choice). Dialogs are checked with the page behind them.
 */
const THEMES = ['light', 'dark'] as const;

/** Serious and critical violations, each with the first nodes it was found on; the count is logged per view. */
async function check(page: Page, view: string, found: string[]): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
  console.log(`axe serious+critical · ${view}: ${serious.length}`);
  found.push(
    ...serious.map(
      (violation) =>
        `${view}: ${violation.id} (${violation.impact}) on ${violation.nodes.length} node(s): ${violation.nodes
          .slice(0, 3)
          .map((node) => node.target.join(' '))
          .join(' | ')}`,
    ),
  );
}

/** A labelled thread with a completed, a failed and a waiting (needs input) run, as a user's code would make. */
async function threadWithRuns(request: APIRequestContext, topic: string) {
  const api = assistantsApi(request);
  const plain = await api.createAssistant({ name: 'Axe Plain' });
  const withTools = await api.createAssistant({ name: 'Axe Tools', tools: [lookupOrderTool] });
  const thread = await api.createThread({ customer: 'axe', topic });
  const completed = await api.createRun(thread.id, { assistant_id: plain.id });
  await api.waitUntilEnded(completed);
  const failed = await api.createRun(thread.id, {
    assistant_id: plain.id,
    metadata: { runboard_scenario: 'fail_server_error' },
  });
  await api.waitUntilEnded(failed);
  const waiting = await api.createRun(thread.id, { assistant_id: withTools.id });
  await expect.poll(async () => (await api.getRun(waiting)).status).toBe('requires_action');
  return { thread, completed, failed, waiting };
}

async function useTheme(page: Page, theme: (typeof THEMES)[number]) {
  await page.addInitScript(
    (choice) => window.localStorage.setItem('runboard.theme', JSON.stringify(choice)),
    theme,
  );
}

for (const theme of THEMES) {
  test.describe(`${theme} theme`, () => {
    test.describe.configure({ timeout: 240_000 });

    test('landing, runs table, columns menu and the run panel of each outcome', async ({ page, request }) => {
      const { thread, completed, failed, waiting } = await threadWithRuns(request, `views ${theme}`);
      await useTheme(page, theme);
      const found: string[] = [];

      await page.goto('/');
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await expect(page.getByRole('navigation', { name: 'Threads' }).getByRole('list')).toBeVisible();
      // The home view (loaded on demand): its sections and the All runs list are in before the check.
      for (const section of ['Needs input', 'Active', 'Failed in the last 24 hours'])
        await expect(page.getByRole('grid', { name: section })).toBeVisible();
      await expect(page.getByRole('grid', { name: 'Runs' }).getByRole('row').nth(1)).toBeVisible();
      await check(page, `${theme} · home view`, found);
      // Filtered to the last day, as its View all failed does: the time bound's chip.
      const dayAgo = Math.floor(failed.created_at - 86_400);
      await page.goto(`/?status=failed&created_after=${dayAgo}`);
      await expect(
        page.getByRole('button', { name: /^Created since .+: remove this filter$/ }),
      ).toBeVisible();
      await check(page, `${theme} · home view, failed in the last day`, found);

      await page.goto(`/?thread=${thread.id}`);
      const grid = page.getByRole('grid', { name: 'Runs' });
      await expect(grid.getByRole('row').filter({ hasText: waiting.id })).toContainText('Needs input');
      await check(page, `${theme} · runs table`, found);

      await page.getByRole('button', { name: 'Columns' }).click();
      await expect(page.getByRole('checkbox', { name: 'Assistant' })).toBeFocused();
      await check(page, `${theme} · columns menu`, found);
      await page.keyboard.press('Escape');
      await expect(page.getByRole('button', { name: 'Columns' })).toBeFocused();

      const panel = page.getByRole('complementary', { name: 'Run detail' });
      for (const [view, run, ready] of [
        ['run panel: needs input', waiting.id, /Submit tool outputs/],
        ['run panel: completed', completed.id, /^Reply$/],
        ['run panel: failed', failed.id, /^server_error$/],
      ] as const) {
        await page.goto(`/?thread=${thread.id}&run=${run}`);
        await expect(panel.getByText(ready).first()).toBeVisible({ timeout: 20_000 });
        await expect(panel.getByRole('region', { name: 'Raw JSON' })).toBeVisible({ timeout: 20_000 });
        await check(page, `${theme} · ${view}`, found);
      }
      // The action bar's Submit with an output empty: the focus on the box, and why.
      await page.goto(`/?thread=${thread.id}&run=${waiting.id}`);
      await panel
        .getByRole('toolbar', { name: 'Run actions' })
        .getByRole('button', { name: 'Submit outputs' })
        .click();
      await expect(panel.getByRole('status').filter({ hasText: /^Write the output/ })).toBeVisible();
      await check(page, `${theme} · run panel: submit with an output empty`, found);
      expect(found).toEqual([]);
    });

    test('every dialog, with the page behind it', async ({ page, request }) => {
      const { thread, waiting } = await threadWithRuns(request, `dialogs ${theme}`);
      await useTheme(page, theme);
      const found: string[] = [];
      await page.goto(`/?thread=${thread.id}&run=${waiting.id}`);
      const panel = page.getByRole('complementary', { name: 'Run detail' });
      await expect(panel.getByRole('button', { name: 'Cancel run' })).toBeVisible();
      const main = page.getByRole('main');
      const dialogs: [string, () => Promise<unknown>, string][] = [
        ['cancel', () => panel.getByRole('button', { name: 'Cancel run' }).click(), 'Cancel this run?'],
        [
          'needs input',
          () => page.getByRole('button', { name: /^Needs input: \d+ runs? waiting/ }).click(),
          'Needs input',
        ],
        ['active runs', () => page.getByRole('button', { name: /^Active runs: \d+/ }).click(), 'Active runs'],
        [
          'insights',
          () => main.getByRole('button', { name: 'Insights', exact: true }).click(),
          'Thread insights',
        ],
        [
          'start run',
          () => main.getByRole('button', { name: 'Start run', exact: true }).click(),
          'Start a run',
        ],
        ['new thread', () => page.getByRole('button', { name: '+ New thread' }).click(), 'New thread'],
        ['shortcuts', () => page.keyboard.press('?'), 'Keyboard shortcuts'],
      ];
      for (const [view, open, title] of dialogs) {
        await open();
        const dialog = page.getByRole('dialog', { name: title });
        await expect(dialog).toBeVisible();
        // Lazy contents (insights, inbox, start run) are in before the check.
        await expect(dialog.getByText(/^Loading/)).toHaveCount(0);
        await check(page, `${theme} · ${view} dialog`, found);
        await page.keyboard.press('Escape');
        await expect(dialog).toBeHidden();
      }
      // Every thread's insights, from the home view: the status mix, tokens and the runs over time.
      await page.goto('/');
      await main.getByRole('button', { name: 'Insights', exact: true }).click();
      const everyThread = page.getByRole('dialog', { name: 'Insights: all threads' });
      await expect(everyThread).toBeVisible();
      await expect(everyThread.getByText(/^Loading/)).toHaveCount(0);
      await expect(everyThread.getByRole('list', { name: 'Chart legend' })).toBeVisible();
      await check(page, `${theme} · insights: all threads dialog`, found);
      expect(found).toEqual([]);
    });

    test('a phone: the runs, the threads drawer and the run sheet', async ({ page, request }) => {
      const { thread, completed } = await threadWithRuns(request, `phone ${theme}`);
      await useTheme(page, theme);
      await page.setViewportSize({ width: 390, height: 844 });
      const found: string[] = [];
      await page.goto(`/?thread=${thread.id}`);
      await expect(page.getByRole('grid', { name: 'Runs' })).toBeVisible();
      await check(page, `${theme} · phone: runs table`, found);
      await page.getByRole('button', { name: 'Threads' }).click();
      await expect(page.getByRole('dialog', { name: 'Threads' })).toBeVisible();
      await check(page, `${theme} · phone: threads drawer`, found);
      await page.keyboard.press('Escape');
      await page.goto(`/?thread=${thread.id}&run=${completed.id}`);
      const sheet = page.getByRole('complementary', { name: 'Run detail' });
      await expect(sheet.getByRole('region', { name: 'Reply' })).toBeVisible({ timeout: 20_000 });
      await check(page, `${theme} · phone: run sheet`, found);
      expect(found).toEqual([]);
    });
  });
}
