import AxeBuilder from '@axe-core/playwright';
import OpenAI from 'openai';
import { expect, sharedServerUrl, test } from './fixtures';

// A second Runboard in proxy mode in front of the journeys' server (e2e/fixtures.ts).
test('a run an agent starts through the proxy shows on screen without typing anything', async ({
  page,
  proxyRunboard: proxy,
}) => {
  await page.goto(proxy.url);
  const home = page.getByRole('main');
  await expect(home.getByLabel('What this view covers')).toContainText(
    'Threads seen through this proxy: none yet',
  );

  // The agent's code talks to the proxy; the person only watches.
  const agent = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: 'sk-agent' });
  const assistant = await agent.beta.assistants.create({ model: 'gpt-4o', name: 'Proxy Agent' });
  const thread = await agent.beta.threads.create({ metadata: { customer: 'Umbrella' } });
  const run = await agent.beta.threads.runs.create(thread.id, {
    assistant_id: assistant.id,
    metadata: { runboard_scenario: 'slow' },
  });

  const row = home.getByRole('region', { name: 'All runs' }).getByRole('row').filter({ hasText: run.id });
  await expect(row).toBeVisible({ timeout: 3_000 });
  await expect(home.getByLabel('What this view covers')).toContainText(
    /Threads seen through this proxy since .+ \(1 thread\)/,
  );
  const threads = page.getByRole('navigation', { name: 'Threads' });
  const threadItem = threads.getByRole('button', { name: new RegExp(thread.id) });
  await expect(threadItem).toBeVisible();
  await expect(threadItem).not.toContainText('watched by hand');
  await expect(threads.getByLabel('What this view covers')).toContainText(
    /Seen through this proxy since .+ · 1 watched/,
  );
  // Its status follows the upstream (the poller reads an active thread every second).
  await expect(row).toContainText('In progress', { timeout: 10_000 });

  // The proxy's views pass axe: no serious or critical violation.
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(
    violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => violation.id),
  ).toEqual([]);
});

test('a thread opened by its id is watched by hand, with a POST, and marked so', async ({
  page,
  request,
  proxyRunboard: proxy,
}) => {
  // Made on the upstream directly: the proxy never saw it.
  const created = await request.post(`${sharedServerUrl}/v1/threads`, {
    data: { metadata: { topic: 'by hand' } },
  });
  const thread = (await created.json()) as { id: string };
  const watching = page.waitForRequest(
    (sent) => sent.method() === 'POST' && new URL(sent.url()).pathname === '/api/watched-threads',
  );
  await page.goto(`${proxy.url}/?thread=${thread.id}`);
  expect((await watching).postDataJSON()).toEqual({ thread_ids: [thread.id] });
  const threadItem = page
    .getByRole('navigation', { name: 'Threads' })
    .getByRole('listitem')
    .filter({ hasText: thread.id });
  await expect(threadItem).toContainText('watched by hand');
  await expect(page.getByText('No runs in this thread yet')).toBeVisible({ timeout: 10_000 });
  await expect(page.getByRole('status', { name: 'Thread not watched' })).toHaveCount(0);
});
