import { expect, test } from './fixtures';
import { appliedCount, clearFault, injectFault } from './helpers/fault-admin';
import { assistantsApi } from './helpers/assistants-api';
import { openSlowRun } from './helpers/slow-run';

/**
 * An optimistic cancel that the backend refuses: the run shows cancelling at once, the refusal is said, the run
 * comes back as it was, and the one request was not retried. The fault is scoped to this journey's run.
 */
// Chromium logs every failed request as "Failed to load resource: …": here those failures are the point.
test.use({ allowedConsoleErrors: [/^Failed to load resource/] });

test('a cancel the backend refuses rolls back to the run as it was and is sent once', async ({
  page,
  request,
}) => {
  const { thread, run, row } = await openSlowRun(page, request, 'Faulty Cancel');
  const api = assistantsApi(request);

  // Held for a moment so the optimistic state can be seen, then refused.
  const faultId = await injectFault(request, {
    method: 'POST',
    path: `/v1/threads/${thread.id}/runs/${run.id}/cancel`,
    status: 500,
    latency_ms: 1_500,
  });
  try {
    await row.getByRole('button', { name: `Cancel run ${run.id}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel this run?' });
    await dialog.getByRole('button', { name: 'Cancel run' }).click();
    await expect(row).toContainText('Cancelling');
    await expect(dialog.getByRole('alert')).toContainText(
      'The run was not cancelled: The server had an error while processing your request. Sorry about that!',
    );
    await expect(row).toContainText('In progress');
    expect(await appliedCount(request, faultId)).toBe(1);
  } finally {
    await clearFault(request, faultId);
  }
  expect((await api.getRun(run)).status).toBe('in_progress');
});
