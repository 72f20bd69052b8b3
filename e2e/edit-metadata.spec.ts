import { expect, test } from './fixtures';
import { assistantsApi } from './helpers/assistants-api';

test('a metadata edit is refused in the form for a limit, shows what will change, then saves', async ({
  page,
  request,
}) => {
  const api = assistantsApi(request);
  const assistant = await api.createAssistant({ name: 'Metadata Desk' });
  const thread = await api.createThread();
  const run = await api.createRun(thread.id, {
    assistant_id: assistant.id,
    metadata: { customer: 'acme', ticket: 'T-1' },
  });
  await api.waitForStatus(run, 'completed');

  await page.goto(`/?thread=${thread.id}&run=${run.id}`);
  const panel = page.getByRole('complementary', { name: 'Run detail' });
  const metadata = panel.getByRole('region', { name: 'Metadata' });
  await metadata.getByRole('button', { name: 'Edit metadata' }).click();
  const form = metadata.getByRole('form', { name: 'Edit metadata' });
  const save = form.getByRole('button', { name: 'Save metadata' });
  await expect(form.getByRole('textbox', { name: 'Metadata value 1' })).toHaveValue('acme');
  await expect(save).toBeDisabled();

  // A key over 64 characters is refused before anything is sent.
  const sent: string[] = [];
  page.on('request', (outgoing) => {
    if (outgoing.method() === 'POST' && outgoing.url().endsWith(`/runs/${run.id}`))
      sent.push(outgoing.postData() ?? '');
  });
  await form.getByRole('button', { name: '+ Add pair' }).click();
  const newKey = form.getByRole('textbox', { name: 'Metadata key 3' });
  await newKey.fill('k'.repeat(65));
  await form.getByRole('textbox', { name: 'Metadata value 3' }).fill('high');
  await expect(newKey).toHaveAttribute('aria-invalid', 'true');
  await expect(newKey).toHaveAccessibleDescription('Keys are at most 64 characters; this one has 65.');
  await expect(save).toBeDisabled();
  await form.getByRole('textbox', { name: 'Metadata value 1' }).press('Enter');
  expect(sent).toEqual([]);

  // Fixed, plus an edit and a removal: the preview lists each change before saving.
  await newKey.fill('priority');
  await form.getByRole('textbox', { name: 'Metadata value 1' }).fill('globex');
  await form.getByRole('button', { name: 'Remove metadata pair 2 (ticket)' }).click();
  const changes = form.getByRole('list', { name: 'Changes to save' });
  await expect(changes.getByRole('listitem')).toHaveText([
    /Changed:\s*customer: acme → globex/,
    /Added:\s*priority: high/,
    /Removed:\s*ticket: T-1/,
  ]);
  await save.click();

  await expect(metadata.getByRole('status')).toHaveText('Metadata saved.');
  await expect(metadata.getByRole('definition')).toHaveText(['globex', 'high']);
  // The table's Metadata column (the first to leave a narrow table) shows it once the panel is closed.
  await page.keyboard.press('Escape');
  await expect(page.getByRole('row').filter({ hasText: run.id })).toContainText('priority: high');
  expect(sent).toHaveLength(1);
  expect(JSON.parse(sent[0]!)).toEqual({ metadata: { customer: 'globex', priority: 'high' } });
  expect((await api.getRun(run)).metadata).toEqual({ customer: 'globex', priority: 'high' });
});
