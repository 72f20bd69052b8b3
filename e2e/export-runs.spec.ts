import { readFile } from 'node:fs/promises';
import type { ListResponse, Run } from '../src/shared/openai-types';
import { expect, test } from './fixtures';
import { assistantsApi } from './helpers/assistants-api';

test('export the filtered, sorted view as CSV and JSON, and copy a run as cURL', async ({
  page,
  request,
}) => {
  const api = assistantsApi(request);
  const assistant = await api.createAssistant({ name: 'Export Desk' });
  const thread = await api.createThread();
  await api.seedRuns(thread.id, 12, assistant.id);
  const listed = await request.get(`/v1/threads/${thread.id}/runs?limit=100`, {
    headers: { 'openai-beta': 'assistants=v2' },
  });
  const completed = ((await listed.json()) as ListResponse<Run>).data.filter(
    (run) => run.status === 'completed',
  );
  expect(completed.length).toBeGreaterThan(0);

  await page.goto(`/?thread=${thread.id}&status=completed&sort=created.asc`);
  for (const run of completed) await expect(page.getByRole('row').filter({ hasText: run.id })).toBeVisible();
  const exportGroup = page.getByRole('group', { name: 'Export the view' });

  const [csvDownload] = await Promise.all([
    page.waitForEvent('download'),
    exportGroup.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  const csv = await readFile((await csvDownload.path())!, 'utf8');
  const lines = csv.trimEnd().split('\r\n');
  expect(lines[0]).toBe(
    'status,id,assistant,model,created_at,duration_seconds,total_tokens,outcome,metadata',
  );
  expect(lines).toHaveLength(completed.length + 1);
  const ascending = [...completed].sort((a, b) => a.created_at - b.created_at);
  expect(lines.slice(1).map((line) => line.split(',')[1])).toEqual(ascending.map((run) => run.id));
  expect(lines[1]).toMatch(/^completed,run_[^,]+,Export Desk,/);

  const [jsonDownload] = await Promise.all([
    page.waitForEvent('download'),
    exportGroup.getByRole('button', { name: 'Export JSON' }).click(),
  ]);
  const exported = JSON.parse(await readFile((await jsonDownload.path())!, 'utf8')) as Run[];
  expect(exported.map((run) => run.id)).toEqual(ascending.map((run) => run.id));
  expect(exported.every((run) => run.status === 'completed' && run.object === 'thread.run')).toBe(true);

  const run = ascending[0]!;
  await page.getByRole('row').filter({ hasText: run.id }).click();
  const curl = page
    .getByRole('complementary', { name: 'Run detail' })
    .getByRole('region', { name: 'Copy as cURL' });
  await expect(curl.getByRole('listitem', { name: 'Retrieve run' })).toContainText(
    `/v1/threads/${thread.id}/runs/${run.id}`,
  );
  await expect(curl.getByRole('listitem', { name: 'Modify metadata' })).toContainText('-X POST');
  await expect(curl.getByRole('listitem', { name: 'Cancel' })).toHaveCount(0);
  await expect(
    curl
      .getByRole('listitem', { name: 'Retrieve run' })
      .getByRole('button', { name: 'Copy this cURL command' }),
  ).toBeVisible();
});
