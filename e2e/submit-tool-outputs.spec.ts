import { expect, test } from './fixtures';
import { assistantsApi, lookupOrderTool, weatherTool } from './helpers/assistants-api';

test('a run waiting for tool outputs is answered by hand; the draft survives live updates and a reload, then the run completes', async ({
  page,
  request,
}) => {
  const api = assistantsApi(request);
  const assistant = await api.createAssistant({
    name: 'Outputs Desk',
    tools: [weatherTool, lookupOrderTool],
  });
  const thread = await api.createThread();
  const run = await api.createRun(thread.id, { assistant_id: assistant.id });

  await page.goto(`/?thread=${thread.id}&run=${run.id}`);
  const panel = page.getByRole('complementary', { name: 'Run detail' });
  const form = panel.getByRole('form', { name: 'Tool outputs' });
  await expect(form).toBeVisible();
  await expect(form.getByRole('timer')).toContainText(/Expires in \d+m/);

  const submit = form.getByRole('button', { name: /Submit tool outputs/ });
  const weather = form.getByRole('textbox', { name: 'Output for get_weather' });
  const order = form.getByRole('textbox', { name: 'Output for lookup_order' });
  await expect(submit).toBeDisabled();
  await expect(form).toContainText('2 of 2 calls still without output');
  await expect(form.getByRole('group', { name: 'Tool output for get_weather' })).toContainText(/call_/);

  await weather.fill('{"temperature": 21, "unit": "celsius"}');
  await order.fill('shipped yesterday');
  await expect(form.getByText('Not valid JSON: it will be sent as plain text.')).toHaveCount(1);
  await expect(submit).toBeEnabled();

  // Changes to the run made elsewhere reach the panel through the live feed and render it again; what was typed stays.
  await assistantsApi(request).modifyRun(run, { owner: 'ops' });
  await expect(panel).toContainText('1 of 16 pairs');
  await assistantsApi(request).modifyRun(run, { owner: 'ops', ticket: 'T-42' });
  await expect(panel).toContainText('2 of 16 pairs');
  await expect(weather).toHaveValue('{"temperature": 21, "unit": "celsius"}');
  await expect(order).toHaveValue('shipped yesterday');

  await page.reload();
  await expect(form).toBeVisible();
  await expect(weather).toHaveValue('{"temperature": 21, "unit": "celsius"}');
  await expect(order).toHaveValue('shipped yesterday');

  // Ctrl+Enter submits; a second Ctrl+Enter in the same instant still sends one request.
  const submits: string[] = [];
  page.on('request', (sent) => {
    if (sent.url().endsWith('/submit_tool_outputs')) submits.push(sent.method());
  });
  await order.evaluate((textarea) => {
    for (let press = 0; press < 2; press++) {
      textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true }));
    }
  });

  const outcome = panel.getByRole('region', { name: 'Tool outputs' });
  await expect(outcome).toContainText('Tool outputs submitted from here.');
  // Focus does not fall to the page: the confirmation that replaced the form has it.
  await expect(outcome.getByRole('status')).toBeFocused();
  await expect(outcome).toContainText('The run ended:');
  await expect(outcome).toContainText('Completed');
  await expect(page.getByRole('row').filter({ hasText: run.id })).toContainText('Completed');
  expect(submits).toEqual(['POST']);

  const completed = await api.getRun(run);
  expect(completed.status).toBe('completed');

  // The draft was cleared by the successful submit: nothing comes back after a reload.
  await page.reload();
  await expect(panel.getByRole('region', { name: 'Tool outputs' })).toContainText(
    'Tool outputs submitted from here.',
  );
  await expect(panel.getByRole('textbox', { name: 'Output for get_weather' })).toHaveCount(0);
});

test('when the run is answered elsewhere, the draft stays and the person is told what happened', async ({
  page,
  request,
}) => {
  const api = assistantsApi(request);
  const assistant = await api.createAssistant({ name: 'Outputs Elsewhere', tools: [weatherTool] });
  const thread = await api.createThread();
  const created = await api.createRun(thread.id, { assistant_id: assistant.id });

  await page.goto(`/?thread=${thread.id}&run=${created.id}`);
  const panel = page.getByRole('complementary', { name: 'Run detail' });
  const output = panel.getByRole('textbox', { name: 'Output for get_weather' });
  await output.fill('{"temperature": 4}');

  const waiting = await api.waitForStatus(created, 'requires_action');
  await api.submitToolOutputs(waiting, '{"temperature": 30}');

  const kept = panel.getByRole('region', { name: 'Tool outputs' });
  await expect(kept).toContainText('Your draft was not sent.');
  await expect(kept).toContainText('The run received its tool outputs from elsewhere and moved on');
  await expect(kept.getByRole('textbox', { name: 'Output for get_weather' })).toHaveValue(
    '{"temperature": 4}',
  );

  await page.reload();
  await expect(kept.getByRole('textbox', { name: 'Output for get_weather' })).toHaveValue(
    '{"temperature": 4}',
  );
  await kept.getByRole('button', { name: 'Discard draft' }).click();
  await expect(panel.getByRole('region', { name: 'Tool outputs' })).toHaveCount(0);
});
