import { request as playwrightRequest } from '@playwright/test';
import { expect, test } from './fixtures';
import { assistantsApi, weatherTool } from './helpers/assistants-api';

/**
 * The emulator's clock advanced (as a team does to test expiry): the countdown under the tool outputs form counts
 * from the emulator's time, not the browser's. A Runboard of its own (e2e/fixtures.ts), since advancing the shared
 * one's clock would move every other journey's runs forward too.
 */
test('with the emulator clock advanced 7 minutes, a waiting run shows 3 minutes left, not 10', async ({
  page,
  ownRunboard,
}) => {
  const origin = ownRunboard.url;
  const request = await playwrightRequest.newContext({ baseURL: origin });
  try {
    const api = assistantsApi(request);
    const assistant = await api.createAssistant({ name: 'Clock Desk', tools: [weatherTool] });
    const thread = await api.createThread();
    const created = await api.createRun(thread.id, { assistant_id: assistant.id });
    const waiting = await api.waitForStatus(created, 'requires_action');
    expect(waiting.expires_at! - waiting.created_at).toBe(600);

    const advanced = await request.post('/api/emulator/clock', { data: { advance_seconds: 420 } });
    expect(advanced.ok()).toBe(true);

    await page.goto(`${origin}/?thread=${thread.id}&run=${created.id}`);
    const form = page
      .getByRole('complementary', { name: 'Run detail' })
      .getByRole('form', { name: 'Tool outputs' });
    await expect(form.getByRole('timer')).toHaveAccessibleName(/^Expires in (2m \d\ds|3m 00s)$/);
    // Ages read from the same clock: the run was created seconds ago in emulator time plus the 7 minutes.
    await expect(page.getByRole('row').filter({ hasText: created.id })).toContainText('7m ago');
  } finally {
    await request.dispose();
  }
});
