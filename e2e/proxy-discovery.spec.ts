import AxeBuilder from '@axe-core/playwright';
import { resolve } from 'node:path';
import OpenAI from 'openai';
import { silentLogger } from '../src/platform/logger';
import { loadConfig } from '../src/server/config';
import { startServer, type RunningServer } from '../src/server/start-server';
import { expect, test } from './fixtures';

const upstreamUrl = `http://127.0.0.1:${process.env.RUNBOARD_E2E_PORT ?? 3199}`;
let proxy: RunningServer;

// A second Runboard in proxy mode in front of the journeys' server, serving the dashboard the config built.
test.beforeAll(async () => {
  const config = loadConfig({
    PORT: '0',
    RUNBOARD_DB: ':memory:',
    LOG_LEVEL: 'silent',
    OPENAI_BASE_URL: `${upstreamUrl}/v1`,
    OPENAI_API_KEY: 'sk-proxy-journey',
  });
  proxy = await startServer(config, silentLogger, { dashboardDir: resolve('dist/client') });
});
test.afterAll(async () => {
  await proxy?.close();
});

test('a run an agent starts through the proxy shows on screen without typing anything', async ({ page }) => {
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
}) => {
  // Made on the upstream directly: the proxy never saw it.
  const created = await request.post(`${upstreamUrl}/v1/threads`, {
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
