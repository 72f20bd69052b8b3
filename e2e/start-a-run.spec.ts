import type { ListResponse, Message } from '../src/shared/openai-types';
import { expect, test } from './fixtures';
import { assistantsApi, lookupOrderTool, weatherTool } from './helpers/assistants-api';

test('a thread is created with a first message, then a run is started on it with overrides and selected', async ({
  page,
  request,
}) => {
  const api = assistantsApi(request);
  const name = `Starter ${test.info().testId}`;
  const assistant = await api.createAssistant({ name: name, tools: [weatherTool, lookupOrderTool] });

  await page.goto('/');
  const newThread = page.getByRole('button', { name: '+ New thread' });
  await newThread.click();
  const threadDialog = page.getByRole('dialog', { name: 'New thread' });
  await threadDialog.getByRole('textbox', { name: 'First message (optional)' }).fill('Where is order ORD-7?');
  await threadDialog.getByRole('button', { name: 'Create thread' }).click();
  await expect(threadDialog).toBeHidden();
  await expect(page).toHaveURL(/thread=thread_/);
  const threadId = new URL(page.url()).searchParams.get('thread')!;
  const messages = await request.get(`/v1/threads/${threadId}/messages`, {
    headers: { 'openai-beta': 'assistants=v2' },
  });
  const firstMessages = ((await messages.json()) as ListResponse<Message>).data;
  expect(firstMessages.map((message) => message.content[0]?.text.value)).toEqual(['Where is order ORD-7?']);

  const startButton = page.getByRole('main').getByRole('button', { name: 'Start run' });
  await startButton.click();
  const dialog = page.getByRole('dialog', { name: 'Start a run' });
  await expect(dialog).toContainText(threadId);

  // Nothing is sent until the form is valid.
  await dialog.getByRole('button', { name: 'Start run' }).click();
  await expect(dialog.getByText('Choose an assistant, or paste its id (asst_…).')).toBeVisible();
  await expect(dialog.getByRole('alert')).toHaveText('Fix the fields marked above; nothing was sent.');

  await dialog.getByRole('searchbox', { name: 'Search assistants or paste an assistant id' }).fill(name);
  await dialog.getByRole('radio', { name: new RegExp(name) }).check();
  await dialog.getByRole('textbox', { name: 'Additional user message' }).fill('Please hurry.');
  await dialog.getByText('Overrides').click();
  await dialog.getByRole('textbox', { name: 'Model' }).fill('gpt-4o-mini');
  const temperature = dialog.getByRole('textbox', { name: 'Temperature' });
  await temperature.fill('3');
  await expect(temperature).toHaveAccessibleDescription(/Temperature must be between 0 and 2\./);
  await temperature.fill('0.3');
  await dialog.getByRole('textbox', { name: 'Max completion tokens' }).fill('512');
  await dialog.getByRole('textbox', { name: 'Additional instructions' }).fill('Answer in one sentence.');
  await dialog.getByRole('combobox', { name: 'Tool choice' }).selectOption('function:lookup_order');
  await dialog.getByRole('combobox', { name: 'Parallel tool calls' }).selectOption('false');
  await dialog.getByRole('combobox', { name: 'Truncation strategy' }).selectOption('last_messages');
  await dialog.getByRole('textbox', { name: 'Last messages to keep' }).fill('4');
  await dialog.getByRole('button', { name: '+ Add pair' }).click();
  await dialog.getByRole('textbox', { name: 'Metadata key 1' }).fill('source');
  await dialog.getByRole('textbox', { name: 'Metadata value 1' }).fill('runboard-e2e');

  const created = page.waitForResponse(
    (response) =>
      response.request().method() === 'POST' && response.url().endsWith(`/v1/threads/${threadId}/runs`),
  );
  await dialog.getByRole('button', { name: 'Start run' }).click();
  const run = (await (await created).json()) as { id: string };
  await expect(dialog).toBeHidden();

  // The new run is in the table and selected in the panel, with the overrides applied.
  await expect(page).toHaveURL(new RegExp(`run=${run.id}`));
  await expect(page.getByRole('row').filter({ hasText: run.id })).toHaveAttribute('aria-selected', 'true');
  const panel = page.getByRole('complementary', { name: 'Run detail' });
  await expect(panel).toContainText(run.id);
  await expect(panel).toContainText('gpt-4o-mini');
  const stored = await api.getRun({ thread_id: threadId, id: run.id });
  expect(stored).toMatchObject({
    assistant_id: assistant.id,
    model: 'gpt-4o-mini',
    temperature: 0.3,
    max_completion_tokens: 512,
    tool_choice: { type: 'function', function: { name: 'lookup_order' } },
    parallel_tool_calls: false,
    truncation_strategy: { type: 'last_messages', last_messages: 4 },
    metadata: { source: 'runboard-e2e' },
  });

  // The run asks for the one chosen function; while it waits, the thread is locked and says by which run.
  await expect(panel.getByRole('textbox', { name: 'Output for lookup_order' })).toBeVisible();
  await expect(panel.getByRole('textbox', { name: 'Output for get_weather' })).toHaveCount(0);
  await expect(page.getByRole('main')).toContainText(`Locked by ${run.id}`);
  await panel.getByRole('button', { name: 'Close run detail' }).click();
  await startButton.click();
  await expect(dialog.getByRole('status').first()).toContainText(`This thread is locked: run ${run.id}`);
  await expect(dialog.getByRole('button', { name: 'Start run' })).toBeDisabled();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(startButton).toBeFocused();
});
