import type { RunsTimeseries } from '../src/shared/runs-query-types';
import { expect, test } from './fixtures';
import { assistantsApi } from './helpers/assistants-api';

test('every dialog closes by its Close button, by Escape and by a click outside, and lives in the URL', async ({
  page,
  request,
}) => {
  const api = assistantsApi(request);
  const thread = await api.createThread({ topic: 'dialogs journey' });
  await page.goto(`/?thread=${thread.id}`);
  const main = page.getByRole('main');
  const openers = [
    {
      open: () => page.getByRole('button', { name: /^Needs input: / }).click(),
      name: 'Needs input',
      param: 'inbox',
    },
    {
      open: () => page.getByRole('button', { name: /^Active runs: / }).click(),
      name: 'Active runs',
      param: 'triage',
    },
    {
      open: () => main.getByRole('button', { name: 'Insights', exact: true }).click(),
      name: 'Thread insights',
      param: 'insights',
    },
  ];
  for (const { open, name, param } of openers) {
    const dialog = page.getByRole('dialog', { name });
    for (const close of ['button', 'escape', 'outside', 'back'] as const) {
      await open();
      await expect(dialog).toBeVisible();
      await expect(page).toHaveURL(new RegExp(`dialog=${param}`));
      if (close === 'button') await dialog.getByRole('button', { name: 'Close' }).click();
      if (close === 'escape') await page.keyboard.press('Escape');
      // The backdrop: a point outside the dialog's box.
      if (close === 'outside') await page.mouse.click(5, 890);
      if (close === 'back') await page.goBack();
      await expect(dialog, `${name} closes by ${close}`).toBeHidden();
      await expect(page).not.toHaveURL(/dialog=/);
      await expect(page).toHaveURL(new RegExp(`thread=${thread.id}`));
    }
  }
  // A click inside does not close it; a link opens it, and closing it then leaves the page where the link pointed.
  await page.goto(`/?thread=${thread.id}&dialog=insights`);
  const insights = page.getByRole('dialog', { name: 'Thread insights' });
  await expect(insights).toBeVisible();
  await insights.getByRole('heading', { name: 'Thread insights' }).click();
  await expect(insights).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(insights).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`\\?thread=${thread.id}$`));
});

test('on a phone a dialog is a full-screen sheet and the triage keeps its Age and Cancel in view', async ({
  page,
  request,
}) => {
  const api = assistantsApi(request);
  const assistant = await api.createAssistant({ name: 'Phone Triage' });
  const thread = await api.createThread();
  const run = await api.createRun(thread.id, {
    assistant_id: assistant.id,
    metadata: { runboard_scenario: 'slow' },
  });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/?dialog=triage');
  const triage = page.getByRole('dialog', { name: 'Active runs' });
  await expect(triage).toBeVisible();
  const box = (await triage.boundingBox())!;
  expect(box.x).toBe(0);
  expect(box.width).toBe(390);
  expect(box.height).toBe(844);
  const row = triage.getByRole('row').filter({ hasText: run.id });
  for (const part of [
    row.getByRole('button', { name: `Cancel run ${run.id}` }),
    row.getByRole('cell').filter({ hasText: /^\d+s$|^\d+m \d{2}s/ }),
  ]) {
    const partBox = (await part.boundingBox())!;
    expect(partBox.x + partBox.width).toBeLessThanOrEqual(390);
  }
  await triage.getByRole('button', { name: 'Close' }).click();
  await expect(triage).toBeHidden();
});

test('insights: every status has its colour in light theme, and the runs over time are the server’s for the whole scope', async ({
  page,
  request,
}) => {
  const api = assistantsApi(request);
  const assistant = await api.createAssistant({ name: 'Palette', model: 'gpt-4o' });
  const thread = await api.createThread({ topic: 'palette journey' });
  // Mixed ended statuses, cancelled and expired among them.
  await api.seedRuns(thread.id, 2_000, assistant.id);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`/?thread=${thread.id}&dialog=insights`);
  const insights = page.getByRole('dialog', { name: 'Thread insights' });
  const mix = insights.getByRole('list', { name: 'Status mix' });
  await expect(mix).toContainText('Cancelled');
  await expect(mix).toContainText('Expired');
  const track = await page.evaluate(() =>
    getComputedStyle(document.documentElement).getPropertyValue('--color-raised').trim(),
  );
  const swatches = await mix
    .getByRole('listitem')
    .evaluateAll((items) =>
      items.map((item) => [item.textContent, getComputedStyle(item.querySelector('span')!).backgroundColor]),
    );
  expect(new Set(swatches.map(([, colour]) => colour)).size).toBe(swatches.length);
  for (const [label, colour] of swatches) {
    expect(colour, `${label}`).not.toBe('rgba(0, 0, 0, 0)');
    expect(colour, `${label}`).not.toBe(track);
  }
  // Badges are pills in light theme too.
  const badge = page.locator('[data-status="expired"]').first();
  await expect(badge).toBeAttached();
  expect(await badge.evaluate((element) => getComputedStyle(element).backgroundColor)).not.toBe(
    'rgba(0, 0, 0, 0)',
  );

  // Too many runs for one timeline row each: the chart over time instead, from the server's series.
  await expect(insights).toContainText('The per-run timeline shows for 100 runs or fewer; with 2,000');
  await expect(insights.getByRole('list', { name: 'Run timeline' })).toHaveCount(0);
  await insights.getByRole('button', { name: 'All', exact: true }).click();
  await expect(insights.getByRole('button', { name: 'All', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  const series = (await (
    await request.get(`/api/runs/timeseries?thread_id=${thread.id}`)
  ).json()) as RunsTimeseries;
  expect(series.total).toBe(2_000);
  await expect(insights).toContainText(
    /2,000 runs from .* failure rate \d+(\.\d)?% · [\d,]+ tokens · one bar per/,
  );
  await insights.getByText('Runs over time as a table').click();
  const rows = insights.getByRole('table').filter({ hasText: 'Failure rate' }).locator('tbody tr');
  const counted = await rows.evaluateAll((trs) =>
    trs.reduce((sum, tr) => sum + Number(tr.children[1]!.textContent!.replace(/,/g, '')), 0),
  );
  expect(counted).toBe(2_000);
  await expect(rows).toHaveCount(series.buckets.filter((bucket) => bucket.total > 0).length);
  // A chip counts in the same format as the footer.
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: /^Completed/ }).first()).toContainText(/\d,\d{3}/);
});

test('the home view and the header count one thing as active; a run waiting for input counts as active', async ({
  page,
  request,
}) => {
  const run = await assistantsApi(request).waitingRun('Counts Desk');
  await page.goto('/');
  const active = page.getByRole('heading', { name: /^Active/ });
  await expect(active).toBeVisible();
  // The header's number and the home section's agree (both are every run that has not ended).
  await expect
    .poll(async () => {
      const header = await page.getByRole('button', { name: /^Active runs: / }).getAttribute('aria-label');
      const home = await active.textContent();
      return header?.match(/^Active runs: ([\d,]+)/)?.[1] === home?.replace('Active', '').trim();
    })
    .toBe(true);
  // The sections show their oldest runs first; the All runs list below them, newest first, shows the waiting run.
  await expect(page.getByRole('row').filter({ hasText: run.id }).last()).toContainText('Needs input');
});

test.describe('missing things', () => {
  // The server answers 404 for the thread and the run: Chromium logs each refused fetch.
  test.use({ allowedConsoleErrors: [/status of 404/] });

  test('a thread or a run that does not exist says so and offers nothing to start', async ({
    page,
    request,
  }) => {
    await page.goto('/?thread=thread_doesnotexist123');
    await expect(page.getByText('This thread does not exist')).toBeVisible();
    // The server answered: the connection indicator does not call a 404 a failing request.
    await expect(page.getByText('Errors', { exact: true })).toHaveCount(0);
    await expect(page.getByText('No runs in this thread yet')).toHaveCount(0);
    await expect(page.getByRole('button', { name: /Start (a )?run/ })).toHaveCount(0);
    await page.getByRole('button', { name: 'Go to all threads' }).click();
    await expect(page).not.toHaveURL(/thread=/);

    const thread = await assistantsApi(request).createThread({ topic: 'missing run' });
    await page.goto(`/?thread=${thread.id}&run=run_doesnotexist123`);
    await expect(page.getByRole('alert').filter({ hasText: 'Run not found' })).toBeVisible();
    await expect(
      page.getByRole('alert').filter({ hasText: 'Run not found' }).getByRole('button'),
    ).toHaveCount(0);
  });
});

test('inbox: one countdown, the first answer box focused, a confirmation with a link after submit', async ({
  page,
  request,
}) => {
  const run = await assistantsApi(request).waitingRun('Inbox Confirm');
  await page.goto('/');
  await page.getByRole('button', { name: /^Needs input: / }).click();
  const inbox = page.getByRole('dialog', { name: 'Needs input' });
  const entry = inbox.getByRole('listitem', { name: `Run ${run.id}` });
  await expect(entry).toBeVisible();
  await expect(entry.getByRole('timer')).toHaveCount(1);
  await expect(entry).not.toContainText(/\d+s left/);
  // The soonest-expiring run's box has the focus (this run may not be the first: other journeys add waiting runs).
  await expect(inbox.getByRole('textbox').first()).toBeFocused();

  await entry.getByRole('textbox', { name: 'Output for get_weather' }).fill('{"temperature": 18}');
  await entry.getByRole('button', { name: /Submit tool outputs/ }).click();
  await expect(entry).toBeHidden();
  const notice = inbox
    .getByRole('list', { name: 'No longer waiting' })
    .getByRole('status')
    .filter({ hasText: run.id });
  await expect(notice).toContainText(`No longer waiting: ${run.id}`);
  await notice.getByRole('link', { name: 'Open run' }).click();
  await expect(inbox).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`thread=${run.thread_id}&run=${run.id}`));
});

test('absolute times with the time zone on demand, remembered, in every time shown', async ({
  page,
  request,
}) => {
  const waiting = await assistantsApi(request).waitingRun('Zoned Desk');
  await page.goto('/');
  const times = page.getByRole('navigation', { name: 'Threads' }).locator('time').first();
  await expect(times).toHaveText(/ago|just now/);
  const toggle = page.getByRole('button', { name: 'Absolute times' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await toggle.click();
  await expect(times).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (UTC|GMT[+-]?\d*)$/);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Absolute times' })).toHaveAttribute('aria-pressed', 'true');
  await expect(times).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /);

  // The same switch reaches the run panel's expiry and timeline, the triage's ages and the runs-over-time axis.
  const zoned = /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (UTC|GMT[+-]?\d*)/;
  await page.goto(`/?thread=${waiting.thread_id}&run=${waiting.id}`);
  const panel = page.getByRole('complementary', { name: 'Run detail' });
  const expiry = panel.getByRole('timer', { name: 'Expiry' });
  await expect(expiry).toContainText(
    new RegExp(`^Expires at ${zoned.source} if it does not finish \\(in \\d+m \\d\\ds\\)$`),
  );
  await expect(panel.getByRole('list', { name: 'Timeline' }).locator('time').first()).toHaveText(zoned);
  // Beside the panel, the table's Created column is wide enough for the zoned time: it does not spill into the next.
  const createdCell = page
    .getByRole('row', { name: new RegExp(waiting.id) })
    .getByRole('gridcell')
    .nth(2);
  await expect(createdCell.locator('time')).toHaveText(zoned);
  const spills = await createdCell.evaluate((cell) => {
    const time = cell.querySelector('time')!.getBoundingClientRect();
    return time.right > cell.getBoundingClientRect().right + 0.5;
  });
  expect(spills, 'the zoned time spills out of its cell').toBe(false);

  await page.goto(`/?dialog=triage`);
  const triage = page.getByRole('dialog', { name: 'Active runs' });
  await expect(triage.getByRole('columnheader', { name: 'Since' })).toBeVisible();
  await expect(triage.getByRole('row').filter({ hasText: waiting.id }).locator('time')).toHaveText(zoned);

  await page.goto(`/?dialog=insights`);
  const insights = page.getByRole('dialog', { name: /insights/i });
  const axis = insights.locator('[data-axis="time"]');
  await expect(axis.locator('span').first()).toHaveText(zoned);
  await expect(insights).toContainText(new RegExp(`runs? from ${zoned.source} to ${zoned.source}`));

  // Back to relative: "ago" on the axis, an age in the triage, a countdown in the panel.
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Absolute times' }).click();
  await page.goto(`/?dialog=insights`);
  await expect(axis.locator('span').first()).toHaveText(/ago$|^just now$/);
  await page.goto(`/?thread=${waiting.thread_id}&run=${waiting.id}`);
  await expect(expiry).toContainText(/^Expires in \d+m \d\ds if it does not finish \(at /);
});
