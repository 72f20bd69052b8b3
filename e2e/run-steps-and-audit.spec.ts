import { expect, test } from './fixtures';
import { assistantsApi, weatherTool } from './helpers/assistants-api';

test('run panel: steps with the tool call and its submitted output, messages, and the audit trail of both sources', async ({
  page,
  request,
}) => {
  const api = assistantsApi(request);
  const assistant = await api.createAssistant({ name: 'Record Desk', tools: [weatherTool] });
  const thread = await api.createThread();
  const message = await request.post(`/v1/threads/${thread.id}/messages`, {
    data: { role: 'user', content: 'What is the weather in Lyon?' },
    headers: { 'openai-beta': 'assistants=v2' },
  });
  expect(message.ok()).toBe(true);
  const run = await api.createRun(thread.id, { assistant_id: assistant.id });
  await api.waitForStatus(run, 'requires_action');

  await page.goto(`/?thread=${thread.id}&run=${run.id}`);
  const panel = page.getByRole('complementary', { name: 'Run detail' });
  const steps = panel.getByRole('region', { name: 'Steps' });
  const call = steps.getByRole('listitem', { name: 'Tool call get_weather' });
  await expect(call).toContainText('Not submitted yet');
  await expect(call).toContainText('location');

  await panel.getByRole('textbox', { name: 'Output for get_weather' }).fill('sunny, 24 degrees');
  await panel.getByRole('button', { name: /Submit tool outputs/ }).click();
  await api.waitForStatus(run, 'completed');

  await expect(call).toContainText('sunny, 24 degrees');
  await expect(steps.getByRole('listitem', { name: /^Step / })).toHaveCount(2);
  const messages = panel.getByRole('region', { name: 'Messages' });
  await expect(messages.getByRole('listitem', { name: /^user message/ })).toContainText(
    'What is the weather in Lyon?',
  );
  await expect(messages.getByRole('listitem', { name: /^assistant message/ })).toBeVisible();

  const audit = panel.getByRole('region', { name: 'Audit trail' });
  const entries = audit.getByRole('listitem');
  await expect(entries).toHaveCount(2);
  await expect(entries.nth(0)).toContainText('Tool outputs submitted');
  await expect(entries.nth(0)).toContainText('from the dashboard');
  await expect(entries.nth(0)).toContainText(/1 tool output for call_/);
  await expect(entries.nth(0)).not.toContainText('sunny');
  await expect(entries.nth(1)).toContainText('Run created');
  await expect(entries.nth(1)).toContainText('from an API client');
  await expect(entries.nth(1)).toContainText(`assistant ${assistant.id}`);
});
