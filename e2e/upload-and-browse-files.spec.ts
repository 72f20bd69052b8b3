import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';
import { filesApi } from './helpers/files-api';

// Until this branch's server has /v1/vector_stores (s4-vstores), the page's read of the vector stores answers 404,
// which Chromium logs; the page itself says it in the Vector stores section.
test.use({ allowedConsoleErrors: [/status of 404 \(Not Found\)/] });

test('upload a file from the Files page, see it listed, download the same bytes, delete it', async ({
  page,
  request,
}) => {
  const name = `refund-policy-${Date.now()}.md`;
  const text = '# Refunds\n\nRefunds are paid within 5 working days of the return.\n';
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Files' }).click();
  await expect(page).toHaveURL(/\/files$/);
  await expect(page.getByRole('heading', { name: 'Files and vector stores' })).toBeVisible();
  await expect(
    page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Files' }),
  ).toHaveAttribute('aria-current', 'page');

  const files = page.getByRole('region', { name: 'Files', exact: true });
  await files.getByLabel('File to upload').setInputFiles({
    name,
    mimeType: 'text/markdown',
    buffer: Buffer.from(text),
  });
  await files.getByLabel('Purpose', { exact: true }).selectOption('assistants');
  await files.getByRole('button', { name: 'Upload', exact: true }).click();
  await expect(files.getByRole('status')).toContainText(`Uploaded ${name} as file-`);
  const row = files.getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('assistants');
  await expect(row).toContainText(`${Buffer.byteLength(text)} bytes`);
  const fileId = (await row.getByText(/^file-/).textContent())!;

  const downloading = page.waitForEvent('download');
  await row.getByRole('button', { name: `Download ${name}` }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(name);
  expect(await readFile((await download.path())!, 'utf8')).toBe(text);

  // Delete asks first; Escape keeps the file and gives the focus back.
  const remove = row.getByRole('button', { name: `Delete ${name}` });
  await remove.click();
  const dialog = page.getByRole('dialog', { name: `Delete ${name}?` });
  await expect(dialog).toContainText(fileId);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(remove).toBeFocused();
  await remove.press('Enter');
  await dialog.getByRole('button', { name: 'Delete file' }).click();
  await expect(dialog).toBeHidden();
  await expect(files.getByRole('row').filter({ hasText: name })).toHaveCount(0);
  expect(await filesApi(request).fileStatus(fileId)).toBe(404);
});

test('page through more files than one page holds: the pager says which part is shown', async ({
  page,
  request,
}) => {
  const api = filesApi(request);
  // 55 files of a purpose no other journey uses, so the filtered list is exactly these.
  for (let index = 1; index <= 55; index += 1)
    await api.upload(`notes-${String(index).padStart(2, '0')}.md`, `Note ${index}`, 'user_data');

  await page.goto('/files');
  const files = page.getByRole('region', { name: 'Files', exact: true });
  await files.getByLabel('Show purpose').selectOption('user_data');
  const pager = files.getByRole('group', { name: 'Pages of files' });
  await expect(pager).toContainText('Files 1–50 · more on the next page');
  // Newest first: the last uploaded on top.
  await expect(files.getByRole('row').nth(1)).toContainText('notes-55.md');
  await expect(files.getByRole('row')).toHaveCount(51);
  await expect(pager.getByRole('button', { name: 'Previous page' })).toBeDisabled();

  await pager.getByRole('button', { name: 'Next page' }).click();
  await expect(pager).toContainText('Files 51–55 of 55');
  await expect(files.getByRole('row')).toHaveCount(6);
  await expect(files.getByRole('row').nth(1)).toContainText('notes-05.md');
  await expect(pager.getByRole('button', { name: 'Next page' })).toBeDisabled();

  await pager.getByRole('button', { name: 'Previous page' }).click();
  await expect(pager).toContainText('Files 1–50 · more on the next page');

  // Another filter starts from its first page.
  await pager.getByRole('button', { name: 'Next page' }).click();
  await expect(pager).toContainText('Files 51–55 of 55');
  await files.getByLabel('Show purpose').selectOption('');
  await expect(pager).toContainText(/^Files 1–\d+/);
});

for (const theme of ['light', 'dark'] as const) {
  test(`the Files page has no serious or critical axe violation (${theme})`, async ({ page, request }) => {
    await filesApi(request).upload('axe-guide.md', 'Axe checks this page.');
    await page.addInitScript(
      (choice) => window.localStorage.setItem('runboard.theme', JSON.stringify(choice)),
      theme,
    );
    await page.goto('/files');
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await expect(page.getByRole('row').filter({ hasText: 'axe-guide.md' }).first()).toBeVisible();
    await expect(page.getByRole('region', { name: 'Vector stores' })).toBeVisible();
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map(
        (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(' | ')}`,
      );
    expect(serious).toEqual([]);
  });
}
