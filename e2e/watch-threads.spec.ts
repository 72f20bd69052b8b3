import { expect, test } from './fixtures';
import { assistantsApi } from './helpers/assistants-api';

test('a picked thread shows its runs moving through their statuses live, without a reload', async ({
  page,
  request,
}) => {
  const api = assistantsApi(request);
  const assistant = await api.createAssistant({ name: 'Live Watcher' });
  const thread = await api.createThread({ topic: 'live journey' });

  await page.goto('/');
  const threads = page.getByRole('navigation', { name: 'Threads' });
  await threads.getByRole('button', { name: new RegExp(thread.id) }).click();
  await expect(page).toHaveURL(new RegExp(`thread=${thread.id}`));
  await expect(page.getByText('No runs in this thread yet')).toBeVisible();

  // A slow run: queued, then in progress for a minute.
  const slow = await api.createRun(thread.id, {
    assistant_id: assistant.id,
    metadata: { runboard_scenario: 'slow' },
  });
  const slowRow = page.getByRole('row').filter({ hasText: slow.id });
  // Nothing could change in the empty thread, so it was polled at the idle rate (15 s): the new run shows up
  // within one idle interval; from then on the thread polls about once a second.
  await expect(slowRow).toBeVisible({ timeout: 20_000 });
  await expect(slowRow).toContainText('In progress');
  await expect(slowRow).toContainText('Live Watcher');
  await expect(threads.getByRole('button', { name: new RegExp(thread.id) })).toContainText('1 active');
  await expect(page.getByRole('main')).toContainText('1 active');

  // Cancelled from elsewhere (the SDK, another tab): the row changes in place.
  await api.cancelRun(slow);
  await expect(slowRow).toContainText('Cancelled');
  await expect(threads.getByRole('button', { name: new RegExp(thread.id) })).toContainText('0 active');

  // A new run appears on top and goes all the way to completed.
  const quick = await api.createRun(thread.id, { assistant_id: assistant.id });
  const rows = page.getByRole('grid', { name: 'Runs' }).getByRole('row');
  // Idle again after the cancel: within one idle interval.
  await expect(rows.nth(1)).toContainText(quick.id, { timeout: 20_000 });
  await expect(rows.nth(2)).toContainText(slow.id);
  const quickRow = page.getByRole('row').filter({ hasText: quick.id });
  await expect(quickRow).toContainText('Completed');
  // Tokens are reported once it ended.
  await expect(quickRow.getByRole('gridcell').nth(6)).toContainText(/\d+ in · \d+ out/);
  await expect(page.getByRole('status').filter({ hasText: 'runs loaded' })).toHaveText('2 runs loaded');
});

test('threads are created in one action, watched by id, and removed from the watch list', async ({
  page,
  request,
}) => {
  const api = assistantsApi(request);
  const other = await api.createThread();
  await page.goto('/');
  const threads = page.getByRole('navigation', { name: 'Threads' });

  await threads.getByRole('button', { name: '+ New thread' }).click();
  // The Act features mount a dialog that can take a first message; left empty, it creates an empty thread.
  await page
    .getByRole('dialog', { name: 'New thread' })
    .getByRole('button', { name: 'Create thread' })
    .click();
  await expect(page).toHaveURL(/thread=thread_/);
  const createdId = new URL(page.url()).searchParams.get('thread')!;
  await expect(page.getByRole('heading', { level: 1 })).toContainText(createdId);
  await expect(threads.getByRole('button', { name: `Stop watching ${createdId}` })).toBeVisible();

  const input = threads.getByRole('textbox', { name: 'Watch a thread by id' });
  await input.fill('run_not_a_thread');
  await threads.getByRole('button', { name: 'Watch', exact: true }).click();
  await expect(threads.getByRole('alert')).toHaveText("A thread id begins with 'thread_'.");

  await input.fill(other.id);
  await threads.getByRole('button', { name: 'Watch', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(other.id);
  await expect(threads.getByRole('button', { name: `Stop watching ${other.id}` })).toBeVisible();

  // The watch list survives a reload (localStorage).
  await page.reload();
  await expect(threads.getByRole('button', { name: `Stop watching ${other.id}` })).toBeVisible();
  await threads.getByRole('button', { name: `Stop watching ${other.id}` }).click();
  await expect(threads.getByRole('button', { name: `Stop watching ${other.id}` })).toHaveCount(0);
  // Still listed by the emulator, just not watched any more.
  await expect(threads.getByRole('button', { name: new RegExp(other.id) })).toBeVisible();
});
