import type { Run } from '../src/shared/openai-types';
import { expect, test } from './fixtures';
import { assistantsApi } from './helpers/assistants-api';

const tokens = (count: number) => count.toLocaleString('en-US');
const sum = (runs: Run[], pick: (run: Run) => number) => runs.reduce((total, run) => total + pick(run), 0);

test('thread insights: token sums per thread and per model, the status mix and one timeline row per run', async ({
  page,
  request,
}) => {
  const api = assistantsApi(request);
  const large = await api.createAssistant({ name: 'Insights Large', model: 'gpt-4o' });
  const small = await api.createAssistant({ name: 'Insights Small', model: 'gpt-4o-mini' });
  const thread = await api.createThread({ topic: 'insights journey' });

  // One run at a time: the thread is locked while a run is active.
  const ended: Run[] = [];
  for (const body of [
    { assistant_id: large.id, instructions: 'Answer briefly about the weather in Lisbon.' },
    { assistant_id: small.id, metadata: { runboard_scenario: 'fail_server_error' } },
    { assistant_id: small.id, instructions: 'Summarise the thread so far in one long paragraph, please.' },
  ]) {
    const run = await api.createRun(thread.id, body);
    ended.push(await api.waitUntilEnded(run));
  }
  expect(ended.map((run) => run.status)).toEqual(['completed', 'failed', 'completed']);
  const withUsage = ended.filter((run) => run.usage !== null);
  const total = sum(withUsage, (run) => run.usage!.total_tokens);
  const prompt = sum(withUsage, (run) => run.usage!.prompt_tokens);
  const completion = sum(withUsage, (run) => run.usage!.completion_tokens);
  const miniTotal = sum(
    withUsage.filter((run) => run.model === 'gpt-4o-mini'),
    (run) => run.usage!.total_tokens,
  );
  const largeTotal = sum(
    withUsage.filter((run) => run.model === 'gpt-4o'),
    (run) => run.usage!.total_tokens,
  );
  expect(total).toBeGreaterThan(0);

  await page.goto(`/?thread=${thread.id}`);
  await expect(page.getByRole('status').filter({ hasText: 'runs loaded' })).toHaveText('3 runs loaded');
  await page.getByRole('main').getByRole('button', { name: 'Insights', exact: true }).click();

  const insights = page.getByRole('dialog', { name: 'Thread insights' });
  await expect(insights).toBeVisible();
  await expect(insights).toContainText(`${tokens(total)} tokens in total`);
  await expect(insights).toContainText(`${tokens(prompt)} prompt · ${tokens(completion)} completion`);

  const perModel = insights.getByRole('table', { name: 'Tokens per model' });
  await expect(perModel.getByRole('row').filter({ hasText: 'gpt-4o-mini' })).toContainText(tokens(miniTotal));
  await expect(perModel.getByRole('row').filter({ hasText: /gpt-4o(?!-mini)/ })).toContainText(
    tokens(largeTotal),
  );

  const mix = insights.getByRole('list', { name: 'Status mix' }).getByRole('listitem');
  // In the filter chips' order (and colours).
  await expect(mix).toHaveText([/Failed: 1 \(33%\)/, /Completed: 2 \(67%\)/]);

  const timeline = insights.getByRole('list', { name: 'Run timeline' }).getByRole('listitem');
  await expect(timeline).toHaveCount(3);
  // Oldest first; the accessible name carries the exact figures a pointer sees on hover.
  await expect(timeline.first()).toHaveAccessibleName(new RegExp(`^${ended[0]!.id}, Completed: created `));
  await expect(timeline.nth(1)).toHaveAccessibleName(new RegExp(`^${ended[1]!.id}, Failed: .*ran \\d+s`));
  // Hovering or focusing a row shows its exact times under the chart.
  await expect(insights).toContainText('Hover or focus a row to see its exact times.');
  await timeline.nth(2).focus();
  await expect(insights).toContainText(`${ended[2]!.id} · Completed`);
  await expect(insights).toContainText(
    /created \d{4}-\d\d-\d\d \d\d:\d\d:\d\d · started .* · ended .* · queued \d+s · ran \d+s/,
  );

  await page.keyboard.press('Escape');
  await expect(insights).toBeHidden();

  // Beyond one page of runs: the mix and the sums still cover every run (the server's), the timeline says it is partial.
  await api.seedRuns(thread.id, 150, small.id);
  const all = await api.listAllRuns(thread.id);
  expect(all).toHaveLength(153);
  const allTotal = sum(
    all.filter((run) => run.usage !== null),
    (run) => run.usage!.total_tokens,
  );
  await expect(page.getByRole('status').filter({ hasText: 'runs loaded' })).toContainText('of 153');
  await page.getByRole('main').getByRole('button', { name: 'Insights', exact: true }).click();
  await expect(insights.getByRole('heading', { name: 'Status mix · 153 runs' })).toBeVisible();
  await expect(insights).toContainText(`${tokens(allTotal)} tokens in total`);
  // One timeline row per run would be a sliver each: the runs over time tell it instead.
  await expect(insights).toContainText('The per-run timeline shows for 100 runs or fewer; with 153');
  await expect(insights.getByRole('list', { name: 'Run timeline' })).toHaveCount(0);
  await expect(insights).toContainText(/153 runs from .* one bar per/);
});
