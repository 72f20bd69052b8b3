import AxeBuilder from '@axe-core/playwright';
import type { FileSearchToolCallDetails, ListResponse, RunStep } from '../src/shared/openai-types';
import { expect, test } from './fixtures';
import { apiRequest } from './helpers/api-request';
import { assistantsApi } from './helpers/assistants-api';
import { filesApi } from './helpers/files-api';

for (const theme of ['light', 'dark'] as const) {
  test(`a run that searched files: the panel shows the ranking and results, and the citation leads to the file (${theme})`, async ({
    page,
    request,
  }) => {
    // The files a user's code puts in a vector store, an assistant with file_search over it, a question: the
    // server's scripted run searches (the question as the query) and answers from the top results, citing them.
    const files = filesApi(request);
    const refunds = await files.upload(
      `refund-policy-${theme}.md`,
      '# Refunds\n\nRefunds are paid within 5 working days of the return.\n',
    );
    const shipping = await files.upload(
      `shipping-${theme}.md`,
      '# Shipping\n\nParcels leave the warehouse within two days.\n',
    );
    const store = await files.createVectorStore(`Policies ${theme}`, [refunds.id, shipping.id]);
    await expect.poll(async () => (await files.getVectorStore(store.id)).file_counts.completed).toBe(2);
    const api = assistantsApi(request);
    const assistant = await api.createAssistant({
      name: 'Policy Desk',
      tools: [{ type: 'file_search' }],
      tool_resources: { file_search: { vector_store_ids: [store.id] } },
    });
    const thread = await api.createThread({ topic: `refunds ${theme}` });
    await apiRequest(request).post(`/v1/threads/${thread.id}/messages`, {
      role: 'user',
      content: 'How many working days do refunds take?',
    });
    const run = await api.waitUntilEnded(await api.createRun(thread.id, { assistant_id: assistant.id }));
    expect(run.status).toBe('completed');
    const steps = await apiRequest(request).get<ListResponse<RunStep>>(
      `/v1/threads/${thread.id}/runs/${run.id}/steps`,
    );
    const search = steps.data
      .flatMap((step) => (step.step_details.type === 'tool_calls' ? step.step_details.tool_calls : []))
      .find((call): call is FileSearchToolCallDetails => call.type === 'file_search')!;

    await page.addInitScript(
      (choice) => window.localStorage.setItem('runboard.theme', JSON.stringify(choice)),
      theme,
    );
    await page.goto(`/?thread=${thread.id}&run=${run.id}`);
    const panel = page.getByRole('complementary', { name: 'Run detail' });
    const call = panel
      .getByRole('region', { name: 'Steps' })
      .getByRole('listitem', { name: `Tool call file_search ${search.id}` });
    await expect(call).toContainText('Ranking: ranker default_2024_08_21, score threshold 0');
    // The refund policy is the best match: first, with the chunk's text (the steps are read with include[]).
    const first = call.getByRole('listitem', { name: /^Result 1: / });
    await expect(first).toHaveAccessibleName(new RegExp(`^Result 1: refund-policy-${theme}\\.md, score `));
    await expect(first.getByRole('blockquote')).toContainText(
      'Refunds are paid within 5 working days of the return.',
    );
    await expect(call.getByRole('listitem', { name: /^Result \d+: / })).toHaveCount(
      search.file_search.results!.length,
    );

    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    const results = await new AxeBuilder({ page }).analyze();
    expect(
      results.violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map(
          (violation) =>
            `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(' | ')}`,
        ),
    ).toEqual([]);

    // The reply cites the file by a numbered link named by the file, not by the raw marker; sources listed under it.
    const reply = panel.getByRole('region', { name: 'Reply' });
    await expect(reply).not.toContainText('【');
    await expect(reply.getByRole('list', { name: /^Sources of / })).toContainText(
      `[1]refund-policy-${theme}.md`,
    );
    const citation = reply.getByRole('link', { name: `Citation 1: refund-policy-${theme}.md` });
    await citation.focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`/files\\?file=${refunds.id}$`));
    const shown = page.getByRole('region', { name: 'File', exact: true });
    await expect(shown.getByRole('heading', { name: `refund-policy-${theme}.md` })).toBeVisible();
    await expect(shown).toContainText(refunds.id);

    // Back returns to the run; the result's file link leads to the same place.
    await page.goBack();
    await expect(page).toHaveURL(new RegExp(`run=${run.id}`));
    await first.getByRole('link', { name: `refund-policy-${theme}.md` }).click();
    await expect(page).toHaveURL(new RegExp(`/files\\?file=${refunds.id}$`));
  });
}
