import { expect, test } from './fixtures';
import { lookupOrderTool, assistantsApi } from './helpers/assistants-api';

/** Every property of the seed's Run schema (../shared/seeds/000_…): the panel names each one. */
const RUN_SCHEMA_FIELDS = [
  'id',
  'created_at',
  'thread_id',
  'assistant_id',
  'status',
  'required_action',
  'model',
  'instructions',
  'tools',
  'metadata',
  'usage',
  'started_at',
  'completed_at',
  'cancelled_at',
  'failed_at',
  'expires_at',
];

test('a run opened shows every field of the Run schema, and a deep link reloads into the same view', async ({
  page,
  request,
}) => {
  const api = assistantsApi(request);
  const assistant = await api.createAssistant({ name: 'Order Desk', tools: [lookupOrderTool] });
  const thread = await api.createThread();
  const instructions = 'You answer questions about orders.\nAlways look the order up before answering.';
  const run = await api.createRun(thread.id, {
    assistant_id: assistant.id,
    instructions,
    metadata: { customer: 'acme', ticket: 'T-1042' },
    temperature: 0.4,
    top_p: 0.9,
    max_prompt_tokens: 2000,
    max_completion_tokens: 800,
    truncation_strategy: { type: 'last_messages', last_messages: 6 },
  });

  await page.goto(`/?thread=${thread.id}`);
  const row = page.getByRole('row').filter({ hasText: run.id });
  await expect(row).toContainText('Needs input');
  await row.click();
  await expect(page).toHaveURL(new RegExp(`run=${run.id}`));

  const panel = page.getByRole('complementary', { name: 'Run detail' });
  for (const field of RUN_SCHEMA_FIELDS) {
    await expect(panel.getByText(field, { exact: true }).first(), `the panel shows ${field}`).toBeVisible();
  }
  await expect(panel.getByText('thread.run', { exact: true })).toBeVisible();
  await expect(panel).toContainText(run.id);
  await expect(panel).toContainText(thread.id);
  await expect(panel).toContainText('Order Desk');
  await expect(panel).toContainText('Needs input');

  // First in the panel: the tool call the run waits for, with its pretty-printed arguments (shown once).
  const call = panel
    .getByRole('region', { name: 'Needs input' })
    .getByRole('group', { name: 'Tool output for lookup_order' });
  await expect(call).toContainText('lookup_order');
  await expect(call).toContainText(/call_\w+/);
  await expect(call.getByLabel('Arguments of lookup_order', { exact: true })).toContainText('"order_id":');
  await expect(panel.getByLabel('Arguments of lookup_order', { exact: true })).toHaveCount(1);
  // While active: a countdown to expires_at.
  await expect(panel.getByRole('timer', { name: 'Expiry', exact: true })).toContainText(
    /Expires in \d+m \d\ds/,
  );

  // Configuration, instructions collapsed then expanded, metadata.
  await expect(panel).toContainText('0.4');
  await expect(panel).toContainText('0.9');
  await expect(panel).toContainText('2000');
  await expect(panel).toContainText('800');
  await expect(panel).toContainText('last_messages (6 messages)');
  await expect(panel).toContainText('function lookup_order');
  const instructionsValue = panel
    .getByRole('definition')
    .filter({ hasText: 'You answer questions about orders' });
  await expect(instructionsValue).not.toContainText('Always look the order up');
  await instructionsValue.getByRole('button', { name: /Show all instructions/ }).click();
  await expect(instructionsValue).toContainText('Always look the order up before answering.');
  await expect(panel.getByRole('definition').filter({ hasText: 'T-1042' })).toBeVisible();
  await expect(panel.getByLabel('Run JSON', { exact: true })).toContainText(`"id": "${run.id}"`);

  // A copied link opens the same run after a reload.
  const link = page.url();
  await page.goto('about:blank');
  await page.goto(link);
  await expect(panel.getByText(run.id).first()).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: run.id })).toHaveAttribute('aria-selected', 'true');

  // Escape closes the panel; back brings it back.
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await page.goBack();
  await expect(panel).toContainText(run.id);

  await api.cancelRun(run);
  await expect(panel.getByText('Cancelled', { exact: true })).toBeVisible();
});

test('keyboard: arrows and j/k move through rows, Enter opens, Escape closes', async ({ page, request }) => {
  const api = assistantsApi(request);
  const assistant = await api.createAssistant();
  const thread = await api.createThread();
  const first = await api.createRun(thread.id, { assistant_id: assistant.id });
  await api.waitUntilEnded(first);
  const second = await api.createRun(thread.id, { assistant_id: assistant.id });
  await api.waitUntilEnded(second);
  const third = await api.createRun(thread.id, { assistant_id: assistant.id });
  await api.waitUntilEnded(third);

  await page.goto(`/?thread=${thread.id}`);
  const grid = page.getByRole('grid', { name: 'Runs' });
  const rowOf = (id: string) => grid.getByRole('row').filter({ hasText: id });
  await expect(rowOf(first.id)).toBeVisible();

  // Newest first: third, second, first. Tab reaches the first row.
  await rowOf(third.id).focus();
  await page.keyboard.press('ArrowDown');
  await expect(rowOf(second.id)).toBeFocused();
  await page.keyboard.press('j');
  await expect(rowOf(first.id)).toBeFocused();
  await page.keyboard.press('k');
  await expect(rowOf(second.id)).toBeFocused();
  await page.keyboard.press('Enter');
  const panel = page.getByRole('complementary', { name: 'Run detail' });
  await expect(panel).toContainText(second.id);
  await expect(page).toHaveURL(new RegExp(`run=${second.id}`));

  // With the panel open, moving shows the next run in it.
  await rowOf(second.id).focus();
  await page.keyboard.press('ArrowUp');
  await expect(rowOf(third.id)).toBeFocused();
  await expect(panel).toContainText(third.id);

  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(page).not.toHaveURL(/run=/);
});
