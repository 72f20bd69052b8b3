import type { APIRequestContext, Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { assistantsApi } from './assistants-api';

/**
 * A new thread with a run that the documented `slow` scenario keeps in progress for a minute, opened in the runs
 * table: the start of every journey about a run that something happens to while it runs.
 */
export async function openSlowRun(page: Page, request: APIRequestContext, name: string) {
  const api = assistantsApi(request);
  const assistant = await api.createAssistant({ name });
  const thread = await api.createThread({ topic: name });
  const run = await api.createRun(thread.id, {
    assistant_id: assistant.id,
    metadata: { runboard_scenario: 'slow' },
  });
  await page.goto(`/?thread=${thread.id}`);
  const row = page.getByRole('row').filter({ hasText: run.id });
  await expect(row).toContainText('In progress');
  return { api, assistant, thread, run, row };
}
