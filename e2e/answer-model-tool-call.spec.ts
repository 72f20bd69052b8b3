import OpenAI from 'openai';
import { expect, test } from './fixtures';
import { MODEL_KEY } from './helpers/own-servers';

// A second Runboard whose runs a (scripted) model executes (e2e/fixtures.ts).
test('a person answers the model’s tool call by hand and watches the model’s reply grow', async ({
  page,
  modelRunboard: { server, model },
}) => {
  // The model asks for the weather, then answers slowly with what the person typed.
  model.fallback = (request) => {
    const last = request.messages.at(-1);
    if (last?.role === 'tool')
      return { text: `Checked: ${last.content}. Pack a light jacket for the evening.`, chunkDelayMs: 120 };
    return {
      toolCalls: [{ id: 'call_model_weather', name: 'get_weather', arguments: { location: 'Paris' } }],
    };
  };
  const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'anything' });
  const assistant = await client.beta.assistants.create({
    model: 'gpt-4o',
    name: 'Weather on a model',
    tools: [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          parameters: {
            type: 'object',
            properties: { location: { type: 'string' } },
            required: ['location'],
          },
        },
      },
    ],
  });
  const thread = await client.beta.threads.create({
    messages: [{ role: 'user', content: 'Weather in Paris?' }],
  });
  const run = await client.beta.threads.runs.createAndPoll(
    thread.id,
    { assistant_id: assistant.id },
    { pollIntervalMs: 50 },
  );
  expect(run.status).toBe('requires_action');

  await page.goto(`${server.url}/?thread=${thread.id}&run=${run.id}`);
  await expect(page.getByTestId('runs-executor')).toHaveText('Model');
  const panel = page.getByRole('complementary', { name: 'Run detail' });
  const execution = panel.getByRole('region', { name: 'Execution' });
  await expect(execution.getByTestId('run-executor')).toHaveText('Model');
  await expect(execution).toContainText('llama3.2');
  await expect(execution.getByRole('table', { name: 'Model calls' })).toContainText('Asked for tools');

  const form = panel.getByRole('form', { name: 'Tool outputs' });
  await expect(form.getByRole('group', { name: 'Tool output for get_weather' })).toContainText(
    'call_model_weather',
  );
  await form
    .getByRole('textbox', { name: 'Output for get_weather' })
    .fill('{"temperature_c": 14, "sky": "clear"}');
  await form.getByRole('button', { name: /Submit tool outputs/ }).click();

  // The answer grows in the panel while the run is in progress, then the run completes with the model's reply.
  const growing = execution.getByLabel('Answer so far');
  await expect(growing).toContainText('Checked:');
  await expect(growing).not.toContainText('evening.');
  await expect(panel.getByRole('region', { name: 'Tool outputs' })).toContainText('Completed', {
    timeout: 20_000,
  });
  await expect(panel.getByRole('region', { name: 'Messages' })).toContainText(
    'Checked: {"temperature_c": 14, "sky": "clear"}. Pack a light jacket for the evening.',
  );
  await expect(execution.getByRole('table', { name: 'Model calls' }).getByRole('row')).toHaveCount(3);
  await expect(execution.getByRole('table', { name: 'Model calls' })).toContainText('Answered');

  // What the person typed reached the real model as the tool's output, under the model's own call id.
  expect(model.requests.at(-1)!.body.messages.at(-1)).toEqual({
    role: 'tool',
    tool_call_id: 'call_model_weather',
    content: '{"temperature_c": 14, "sky": "clear"}',
  });
  expect(await page.content()).not.toContain(MODEL_KEY);
});
