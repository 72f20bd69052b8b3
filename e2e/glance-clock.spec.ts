import { request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import type { Run } from '../src/shared/openai-types';
import type { RunsPage } from '../src/shared/runs-query-types';
import { expect, test } from './fixtures';
import { assistantsApi, weatherTool } from './helpers/assistants-api';
import type { RunningServer } from '../src/server/start-server';
import { startOwnRunboard } from './helpers/own-servers';

/**
 * Issue 25's points that depend on how old runs are: "stuck", the phone header with the counts a busy server has,
 * "Failed in the last 24 hours" and its View all. The emulator's clock is advanced (no sleeps), on a server of their
 * own: advancing the shared one's clock would move every other journey's runs forward too.
 */
let server: RunningServer;
let request: APIRequestContext;

test.beforeAll(async () => {
  server = await startOwnRunboard();
  request = await playwrightRequest.newContext({ baseURL: server.url });
});
test.afterAll(async () => {
  await request.dispose();
  await server.close();
});

async function advanceClock(seconds: number) {
  const advanced = await request.post('/api/emulator/clock', { data: { advance_seconds: seconds } });
  expect(advanced.ok()).toBe(true);
}

/** Runs matching the query string, counted by the server. */
async function countRuns(query: string): Promise<number> {
  return ((await (await request.get(`/api/runs?${query}&limit=1`)).json()) as RunsPage).total;
}

/** `count` runs, each in a thread of its own (an active run locks its thread). */
async function startRuns(
  count: number,
  assistantId: string,
  metadata?: Record<string, string>,
): Promise<Run[]> {
  const api = assistantsApi(request);
  const runs: Run[] = [];
  for (let index = 0; index < count; index++) {
    const thread = await api.createThread();
    runs.push(
      await api.createRun(thread.id, { assistant_id: assistantId, ...(metadata ? { metadata } : {}) }),
    );
  }
  return runs;
}

test('stuck: a run still working past 5 minutes is stuck, a run waiting on a person never is', async ({
  page,
}) => {
  const api = assistantsApi(request);
  const assistant = await api.createAssistant({ name: 'Stuck Desk', tools: [weatherTool] });
  // `expire`: in progress until its expires_at, 10 minutes after it was created.
  const [working] = await startRuns(1, assistant.id, { runboard_scenario: 'expire' });
  const [waiting] = await startRuns(1, assistant.id);
  await api.waitForStatus(working!, 'in_progress');
  await api.waitForStatus(waiting!, 'requires_action');

  await page.goto(`${server.url}/`);
  const triageButton = page.getByRole('button', { name: /^Active runs: / });
  await expect(triageButton).toHaveAccessibleName('Active runs: 2');

  // Six minutes later, both still active: the working one is stuck, the waiting one is not.
  await advanceClock(360);
  await page.reload();
  await expect(triageButton).toHaveAccessibleName('Active runs: 2, 1 stuck');
  await triageButton.click();
  const triage = page.getByRole('dialog', { name: 'Active runs' });
  const workingRow = triage.getByRole('row').filter({ hasText: working!.id });
  const waitingRow = triage.getByRole('row').filter({ hasText: waiting!.id });
  await expect(workingRow).toContainText('In progress');
  await expect(workingRow).toContainText(/6m \d\ds\s*stuck/);
  await expect(waitingRow).toContainText('Needs input');
  await expect(waitingRow).toContainText(/6m \d\ds/);
  await expect(waitingRow).not.toContainText('stuck');
});

test('at 390 px the header stays one row with two- and three-digit counts (and a stuck count)', async ({
  page,
}) => {
  const api = assistantsApi(request);
  const assistant = await api.createAssistant({ name: 'Busy Desk', tools: [weatherTool] });
  const waiting = await startRuns(12, assistant.id);
  const working = await startRuns(95, assistant.id, { runboard_scenario: 'expire' });
  await expect
    .poll(() => countRuns('status=requires_action'), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(12);
  await expect.poll(() => countRuns('status=in_progress'), { timeout: 30_000 }).toBeGreaterThanOrEqual(95);
  // Seven minutes on: the working runs are stuck too (the widest the header gets), the waiting ones still wait.
  await advanceClock(420);
  expect((await api.getRun(waiting[0]!)).status).toBe('requires_action');
  expect((await api.getRun(working[0]!)).status).toBe('in_progress');

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${server.url}/`);
  const header = page.getByRole('banner');
  const inbox = header.getByRole('button', { name: /^Needs input: / });
  const triage = header.getByRole('button', { name: /^Active runs: / });
  await expect(inbox).toHaveAccessibleName(/^Needs input: \d{2} runs/);
  // Every stuck run is counted, not only those among the oldest 100 active runs the triage list holds.
  await expect(triage).toHaveAccessibleName(/^Active runs: \d{3}, 95 stuck$/);
  // The More menu (loaded on a phone only) is in the row too.
  await expect(header.getByRole('button', { name: /^More/ })).toBeVisible();
  await expect(inbox).toContainText(/\d{2}/);
  await expect(triage).toContainText(/\d{3}/);

  // One row: the header is as tall as one control plus its padding, and every control sits on the same line, whole
  // and on screen.
  const headerBox = (await header.boundingBox())!;
  const controls = await header.locator('button, a').evaluateAll((buttons) =>
    buttons
      .filter((button) => button.getClientRects().length > 0)
      .map((button) => {
        const box = button.getBoundingClientRect();
        return {
          name: button.getAttribute('aria-label') ?? button.textContent,
          top: box.top,
          bottom: box.bottom,
          left: box.left,
          right: box.right,
          cut: button.scrollWidth > button.clientWidth + 1,
        };
      }),
  );
  expect(controls.length).toBeGreaterThanOrEqual(5);
  const tallest = Math.max(...controls.map((control) => control.bottom - control.top));
  expect(headerBox.height, 'the header is one row tall').toBeLessThanOrEqual(tallest + 16);
  const middle = (control: (typeof controls)[number]) => (control.top + control.bottom) / 2;
  for (const control of controls) {
    expect(
      Math.abs(middle(control) - middle(controls[0]!)),
      `${control.name} is on the header's one row`,
    ).toBeLessThan(3);
    expect(control.cut, `${control.name} is whole`).toBe(false);
    expect(control.left, `${control.name} is on screen`).toBeGreaterThanOrEqual(0);
    expect(control.right, `${control.name} is on screen`).toBeLessThanOrEqual(390);
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test('View all failed opens the list filtered to failed in the last 24 hours: the bound in the URL and as a chip, the same count', async ({
  page,
}) => {
  const api = assistantsApi(request);
  const assistant = await api.createAssistant({ name: 'Failing Desk' });
  const failing = { runboard_scenario: 'fail_server_error' };
  const old = await startRuns(2, assistant.id, failing);
  for (const run of old) await api.waitForStatus(run, 'failed');
  // A day and an hour later, six more failures: the section shows five of them and a View all.
  await advanceClock(25 * 3600);
  const recent = await startRuns(6, assistant.id, failing);
  for (const run of recent) await api.waitForStatus(run, 'failed');
  const allFailed = await countRuns('status=failed');
  const dayAgo =
    Math.floor(((await (await request.get('/api/emulator/clock')).json()) as { now: number }).now) - 86_400;
  const recentFailed = await countRuns(`status=failed&created_after=${dayAgo}`);
  expect(allFailed - recentFailed).toBeGreaterThanOrEqual(2);

  await page.goto(`${server.url}/`);
  const section = page.getByRole('region', { name: /^Failed in the last 24 hours/ });
  await expect(section.getByRole('heading')).toHaveText(
    new RegExp(`^Failed in the last 24 hours\\s*${recentFailed}$`),
  );
  await section.getByRole('link', { name: 'View all failed' }).click();

  // The URL carries the bound; the list shows it as a chip and counts what the section counted.
  await expect(page).toHaveURL(/[?&]status=failed&created_after=\d+/);
  const boundUrl = page.url();
  const bound = Number(new URL(boundUrl).searchParams.get('created_after'));
  expect(Math.abs(bound - dayAgo)).toBeLessThan(120);
  const chip = page.getByRole('button', { name: /^Created since .+: remove this filter$/ });
  await expect(chip).toBeVisible();
  await expect(chip).toContainText(/Created since (1d ago|\d{4}-\d\d-\d\d)/);
  const failedChip = page
    .getByRole('group', { name: 'Filter by status' })
    .getByRole('button', { name: /^Failed/ });
  await expect(failedChip).toHaveAttribute('aria-pressed', 'true');
  await expect(failedChip).toContainText(String(recentFailed));
  const all = page.getByRole('region', { name: 'All runs' });
  await expect(all.getByText(`${recentFailed} matching runs loaded`)).toBeVisible();
  for (const run of old) await expect(all.locator(`[data-run-id="${run.id}"]`)).toHaveCount(0);
  await expect(all.locator(`[data-run-id="${recent[0]!.id}"]`)).toBeVisible();

  // A reload keeps it (it is the URL's); the chip's click removes the bound: every failure again.
  await page.reload();
  await expect(chip).toBeVisible();
  await chip.click();
  await expect(page).not.toHaveURL(/created_after/);
  await expect(chip).toHaveCount(0);
  await expect(failedChip).toContainText(String(allFailed));
  await expect(all.locator(`[data-run-id="${old[0]!.id}"]`)).toBeVisible();
  // Clear filter clears the bound with the statuses.
  await page.goto(boundUrl);
  await expect(chip).toBeVisible();
  await page.getByRole('button', { name: 'Clear filter' }).click();
  await expect(page).not.toHaveURL(/created_after|status=/);
  await expect(chip).toHaveCount(0);
});
