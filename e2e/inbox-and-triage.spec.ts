import { expect, test } from './fixtures';
import { assistantsApi, weatherTool } from './helpers/assistants-api';

test('needs-input inbox: the waiting run is counted in the title and favicon and answered in place', async ({
  page,
  request,
}) => {
  const api = assistantsApi(request);
  const assistant = await api.createAssistant({ name: 'Inbox Desk', tools: [weatherTool] });
  const thread = await api.createThread();
  const run = await api.createRun(thread.id, { assistant_id: assistant.id });
  await api.waitForStatus(run, 'requires_action');

  await page.goto('/');
  const inboxButton = page.getByRole('button', { name: /^Needs input: \d+ runs? waiting/ });
  await expect(inboxButton).not.toHaveAccessibleName(/Needs input: 0 runs/);
  await expect(page).toHaveTitle(/^\(\d+\) Runboard$/);
  await expect(page.locator('link[rel="icon"]')).toHaveAttribute('href', /^data:image\/svg\+xml,/);

  await inboxButton.click();
  const inbox = page.getByRole('dialog', { name: 'Needs input' });
  const entry = inbox.getByRole('listitem', { name: `Run ${run.id}` });
  await expect(entry).toContainText('Asks for get_weather');
  // One countdown per waiting run: the answer form's.
  await expect(entry.getByRole('timer')).toHaveCount(1);
  await expect(entry.getByRole('timer')).toHaveText(/Expires in \d+m \d{2}s/);

  await entry.getByRole('textbox', { name: 'Output for get_weather' }).fill('{"temperature": 18}');
  await entry.getByRole('button', { name: /Submit tool outputs/ }).click();
  await expect(entry).toBeHidden();
  const answered = await api.getRun(run);
  expect(answered.status).not.toBe('requires_action');
  await api.waitForStatus(run, 'completed');
});

test('stuck-run triage: active runs across threads by age, bulk cancel after a confirmation', async ({
  page,
  request,
}) => {
  const api = assistantsApi(request);
  const assistant = await api.createAssistant({ name: 'Triage Desk' });
  const first = await api.createThread();
  const second = await api.createThread();
  const older = await api.createRun(first.id, {
    assistant_id: assistant.id,
    metadata: { runboard_scenario: 'slow' },
  });
  // created_at has whole seconds: the second run is created once the server's clock is past the first's second, so
  // the two have different ages (the shared server's clock is not moved: it would move every journey's runs).
  await expect
    .poll(async () => ((await (await request.get('/api/emulator/clock')).json()) as { now: number }).now, {
      intervals: [100],
    })
    .toBeGreaterThan(older.created_at);
  const newer = await api.createRun(second.id, {
    assistant_id: assistant.id,
    metadata: { runboard_scenario: 'slow' },
  });

  await page.goto('/');
  await page.getByRole('button', { name: /^Active runs: \d+/ }).click();
  const triage = page.getByRole('dialog', { name: 'Active runs' });
  const table = triage.getByRole('table', { name: 'Active runs' });
  const olderRow = table.getByRole('row').filter({ hasText: older.id });
  const newerRow = table.getByRole('row').filter({ hasText: newer.id });
  await expect(olderRow).toBeVisible();
  await expect(newerRow).toBeVisible();
  // Oldest first.
  const ids = await table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.textContent ?? ''));
  const olderAt = ids.findIndex((text) => text.includes(older.id));
  const newerAt = ids.findIndex((text) => text.includes(newer.id));
  expect(olderAt).toBeLessThan(newerAt);
  await expect(olderRow.getByRole('button', { name: `Cancel run ${older.id}` })).toBeVisible();

  await olderRow.getByRole('checkbox', { name: `Select ${older.id}` }).check();
  await newerRow.getByRole('checkbox', { name: `Select ${newer.id}` }).check();
  await triage.getByRole('button', { name: 'Cancel selected (2)' }).click();
  const confirm = triage.getByRole('group', { name: 'Confirm bulk cancel' });
  await expect(confirm).toContainText('Cancel 2 runs?');
  await confirm.getByRole('button', { name: 'Cancel 2 runs' }).click();
  await expect(triage.getByRole('status')).toContainText('2 runs asked to cancel.');

  await api.waitForStatus(older, 'cancelled');
  await api.waitForStatus(newer, 'cancelled');
  await expect(olderRow).toBeHidden();
  await expect(newerRow).toBeHidden();
});

test('desktop notifications: asked for only when turned on, then one per run that starts waiting', async ({
  page,
  request,
}) => {
  // Headless Chromium shows no desktop notifications: a stand-in records what the page asks for, and the person
  // allows notifications when asked.
  await page.addInitScript(() => {
    const shown: { title: string; body?: string; tag?: string }[] = [];
    class RecordedNotification {
      static permission: NotificationPermission = 'default';
      static requests = 0;
      static async requestPermission(): Promise<NotificationPermission> {
        RecordedNotification.requests += 1;
        RecordedNotification.permission = 'granted';
        return 'granted';
      }
      constructor(title: string, options?: NotificationOptions) {
        shown.push({ title, body: options?.body, tag: options?.tag });
      }
      close() {}
    }
    Object.defineProperty(window, 'Notification', { value: RecordedNotification, configurable: true });
    Object.defineProperty(window, '__notifications', {
      value: { shown, requests: () => RecordedNotification.requests },
    });
  });
  type Recorded = { shown: { title: string; body?: string; tag?: string }[]; requests: () => number };
  const recorded = () =>
    page.evaluate(() => {
      const log = (window as unknown as { __notifications: Recorded }).__notifications;
      return { shown: log.shown, requests: log.requests() };
    });

  const api = assistantsApi(request);
  const assistant = await api.createAssistant({ name: 'Notify Desk', tools: [weatherTool] });
  const waitingThread = await api.createThread();
  const alreadyWaiting = await api.createRun(waitingThread.id, { assistant_id: assistant.id });
  await api.waitForStatus(alreadyWaiting, 'requires_action');
  // Listed in the sidebar from the start, so its runs are scanned.
  const laterThread = await api.createThread();

  await page.goto('/');
  await page.getByRole('button', { name: /^Needs input: \d+ runs? waiting/ }).click();
  const inbox = page.getByRole('dialog', { name: 'Needs input' });
  await expect(inbox.getByRole('listitem', { name: `Run ${alreadyWaiting.id}` })).toBeVisible();
  expect((await recorded()).requests).toBe(0);

  const toggle = inbox.getByRole('checkbox', { name: 'Desktop notification when a run starts waiting' });
  await toggle.check();
  await expect.poll(async () => (await recorded()).requests).toBe(1);

  const later = await api.createRun(laterThread.id, { assistant_id: assistant.id });
  await api.waitForStatus(later, 'requires_action');
  // Found by the new thread's next poll (idle: 15 s).
  await expect
    .poll(async () => (await recorded()).shown.filter((note) => note.tag === later.id), { timeout: 30_000 })
    .toEqual([
      {
        title: 'A run needs tool outputs',
        body: `${later.id} on ${laterThread.id} asks for get_weather`,
        tag: later.id,
      },
    ]);
  // The run that was already waiting when notifications were turned on never notified.
  expect((await recorded()).shown.some((note) => note.tag === alreadyWaiting.id)).toBe(false);
});
