import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { FileSearchToolCallDetails, ListResponse, Message, RunStep } from '../src/shared/openai-types';
import { expect, test } from './fixtures';
import { assistantsApi } from './helpers/assistants-api';
import { filesApi } from './helpers/files-api';

/**
 * The server's scripted runs do not search yet (runs that search come with s4-searchruns): this journey runs a real
 * run on the real server and adds, to what the server answers for its steps and messages, a file_search step and a
 * cited reply shaped as OpenAI's (RunStepDetailsToolCallsFileSearchObject, MessageContentTextAnnotationsFileCitation-
 * Object) over a file really uploaded, so the link leads to it.
 */
async function answerWithFileSearch(page: Page, run: { thread_id: string; id: string }, fileId: string) {
  const searchStep = (template: RunStep): RunStep => {
    const call: FileSearchToolCallDetails = {
      id: 'call_search_refunds',
      type: 'file_search',
      file_search: {
        queries: ['refund delay'],
        ranking_options: { ranker: 'default_2024_08_21', score_threshold: 0.2 },
        results: [
          {
            file_id: fileId,
            file_name: 'refund-policy.md',
            score: 0.8731,
            content: [{ type: 'text', text: 'Refunds are paid within 5 working days of the return.' }],
          },
        ],
      },
    };
    return {
      ...template,
      id: 'step_search_refunds',
      type: 'tool_calls',
      step_details: { type: 'tool_calls', tool_calls: [call] },
    };
  };
  const stepsSeen: string[] = [];
  await page.route(`**/v1/threads/${run.thread_id}/runs/${run.id}/steps?*`, async (route) => {
    stepsSeen.push(route.request().url());
    const response = await route.fetch();
    const steps = (await response.json()) as ListResponse<RunStep>;
    await route.fulfill({ response, json: { ...steps, data: [searchStep(steps.data[0]!), ...steps.data] } });
  });
  await page.route(`**/v1/threads/${run.thread_id}/messages?*`, async (route) => {
    const response = await route.fetch();
    const messages = (await response.json()) as ListResponse<Message>;
    const marker = '【4:0†refund-policy.md】';
    const cited = messages.data.map((message) => {
      if (message.run_id !== run.id || message.role !== 'assistant') return message;
      const value = `Refunds take five working days${marker}.`;
      const start = value.indexOf(marker);
      return {
        ...message,
        content: [
          {
            type: 'text' as const,
            text: {
              value,
              annotations: [
                {
                  type: 'file_citation' as const,
                  text: marker,
                  file_citation: { file_id: fileId },
                  start_index: start,
                  end_index: start + marker.length,
                },
              ],
            },
          },
        ],
      };
    });
    await route.fulfill({ response, json: { ...messages, data: cited } });
  });
  return stepsSeen;
}

for (const theme of ['light', 'dark'] as const) {
  test(`a run that searched files: the panel shows the query, ranking and results, and the citation leads to the file (${theme})`, async ({
    page,
    request,
  }) => {
    const file = await filesApi(request).upload(
      'refund-policy.md',
      '# Refunds\n\nRefunds are paid within 5 working days of the return.\n',
    );
    const api = assistantsApi(request);
    const assistant = await api.createAssistant({ name: 'Policy Desk' });
    const thread = await api.createThread({ topic: 'refunds' });
    const run = await api.waitUntilEnded(await api.createRun(thread.id, { assistant_id: assistant.id }));
    const stepsSeen = await answerWithFileSearch(page, run, file.id);

    await page.addInitScript(
      (choice) => window.localStorage.setItem('runboard.theme', JSON.stringify(choice)),
      theme,
    );
    await page.goto(`/?thread=${thread.id}&run=${run.id}`);
    const panel = page.getByRole('complementary', { name: 'Run detail' });
    const call = panel
      .getByRole('region', { name: 'Steps' })
      .getByRole('listitem', { name: 'Tool call file_search call_search_refunds' });
    await expect(call.getByRole('list', { name: 'Queries of call_search_refunds' })).toHaveText(
      'refund delay',
    );
    await expect(call).toContainText('Ranking: ranker default_2024_08_21, score threshold 0.2');
    await expect(call).toContainText('1 result');
    const result = call.getByRole('listitem', { name: 'Result 1: refund-policy.md, score 0.873' });
    await expect(result).toBeVisible();
    await expect(result.getByRole('blockquote')).toHaveText(
      'Refunds are paid within 5 working days of the return.',
    );
    // The steps were asked with the results' content, as the SDK asks with include[].
    expect(decodeURIComponent(stepsSeen[0]!)).toContain(
      'include[]=step_details.tool_calls[*].file_search.results[*].content',
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

    // The reply's citation is a numbered link named by the file; the sources are listed under it.
    const reply = panel.getByRole('region', { name: 'Reply' });
    await expect(reply).toContainText('Refunds take five working days[1].');
    await expect(reply).not.toContainText('【4:0');
    await expect(reply.getByRole('list', { name: /^Sources of / })).toContainText('[1]refund-policy.md');
    const citation = reply.getByRole('link', { name: 'Citation 1: refund-policy.md' });
    await citation.focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`/files\\?file=${file.id}$`));
    const shown = page.getByRole('region', { name: 'File', exact: true });
    await expect(shown.getByRole('heading', { name: 'refund-policy.md' })).toBeVisible();
    await expect(shown).toContainText(file.id);

    // Back returns to the run; the result's file link leads to the same place.
    await page.goBack();
    await expect(page).toHaveURL(new RegExp(`run=${run.id}`));
    await result.getByRole('link', { name: 'refund-policy.md' }).click();
    await expect(page).toHaveURL(new RegExp(`/files\\?file=${file.id}$`));
  });
}
