import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { expect, failedToLoad, test, TOKEN_RUNBOARD_TOKEN } from './fixtures';
import { filesApi } from './helpers/files-api';

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

test.describe('on a server with an access token', () => {
  // Until the token is typed, and for a wrong one, the server answers the dashboard's reads 401; Chromium logs each.
  test.use({ allowedConsoleErrors: [failedToLoad(401)] });

  test('the dashboard asks for the token; typed at its prompt, files are listed and a download streams through a link signed for that file alone', async ({
    page,
    playwright,
    tokenRunboard,
  }) => {
    const request = await playwright.request.newContext({
      baseURL: tokenRunboard.url,
      extraHTTPHeaders: { 'x-runboard-token': TOKEN_RUNBOARD_TOKEN },
    });
    const name = `token-download-${Date.now()}.md`;
    const text = '# Kept\n\nDownloaded from a server that asks for its token.\n';
    const file = await filesApi(request).upload(name, text);
    await request.dispose();

    await page.goto(`${tokenRunboard.url}/files`);
    const prompt = page.getByRole('dialog', { name: 'Access token required' });
    await expect(prompt).toBeVisible();
    await expect(prompt).toHaveAccessibleDescription(/This Runboard server is protected/);
    const field = prompt.getByLabel('Access token');
    await expect(field).toBeFocused();
    const files = page.getByRole('region', { name: 'Files', exact: true });
    const row = files.getByRole('row').filter({ hasText: name });
    await expect(row).toHaveCount(0);
    // The app cannot go on without it: Escape does not close it.
    await page.keyboard.press('Escape');
    await expect(prompt).toBeVisible();

    // A wrong token: the server refuses it and the prompt comes back saying so, ready for another.
    await page.keyboard.type('not-the-token');
    await page.keyboard.press('Enter');
    await expect(prompt).toHaveAccessibleDescription(/The server refused the stored token/);
    await expect(field).toBeFocused();
    await expect(field).toHaveValue('');
    await expect(row).toHaveCount(0);

    await page.keyboard.type(TOKEN_RUNBOARD_TOKEN);
    await page.keyboard.press('Enter');
    await expect(prompt).toBeHidden();
    await expect(row).toContainText(file.id);
    await expect(row).toContainText(`${Buffer.byteLength(text)} bytes`);

    const downloading = page.waitForEvent('download');
    await row.getByRole('button', { name: `Download ${name}` }).press('Enter');
    const download = await downloading;
    expect(download.url()).toMatch(new RegExp(`/v1/files/${file.id}/content\\?runboard_download=`));
    expect(download.suggestedFilename()).toBe(name);
    expect(await readFile((await download.path())!, 'utf8')).toBe(text);

    // Kept for the tab: a reload does not ask again.
    await page.reload();
    await expect(row).toContainText(file.id);
    await expect(prompt).toHaveCount(0);

    // Without the link's signature (or the header) the content stays closed.
    const bare = await playwright.request.newContext({ baseURL: tokenRunboard.url });
    expect((await bare.get(`/v1/files/${file.id}/content`)).status()).toBe(401);
    await bare.dispose();
  });
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

test.describe('vector stores', () => {
  // The refused upload (a .bin) is a 400, which Chromium logs.
  test.use({ allowedConsoleErrors: [failedToLoad(400)] });

  test('create a vector store, upload files into it and watch them processed: completed, or failed with the error', async ({
    page,
    request,
  }) => {
    const storeName = `Support docs ${Date.now()}`;
    await page.goto('/files');
    const stores = page.getByRole('region', { name: 'Vector stores' });
    await stores.getByLabel('New vector store name').fill(storeName);
    await stores.getByRole('button', { name: 'Create vector store' }).click();
    // The new store opens: its files, empty, under it; the URL says which.
    const store = page.getByRole('region', { name: `Files in ${storeName}` });
    await expect(store).toContainText('No file in this vector store');
    await expect(page).toHaveURL(/\/files\?store=vs_/);
    const storeId = new URL(page.url()).searchParams.get('store')!;
    const listed = stores.getByRole('listitem', { name: `Vector store ${storeName}` });
    await expect(listed).toContainText('No file');
    await expect(listed.getByRole('link', { name: storeName })).toHaveAttribute('aria-current', 'true');

    // A Markdown file is read and indexed: it moves to Completed and the counts follow.
    const add = async (name: string, mimeType: string, text: string) => {
      await store
        .getByLabel(`File to add to ${storeName}`)
        .setInputFiles({ name, mimeType, buffer: Buffer.from(text) });
      await store.getByRole('button', { name: 'Upload and add' }).click();
    };
    await add('shipping.md', 'text/markdown', '# Shipping\n\nParcels leave the warehouse within two days.\n');
    const shipping = store.getByRole('listitem', { name: 'File shipping.md' });
    await expect(shipping.locator('[data-status]')).toHaveText(/Completed/);
    await expect(store).toContainText('1 file: 1 completed');
    await expect(listed).toContainText('1 file: 1 completed');

    // A PDF that is not one is refused by the parser: Failed, with the server's last_error shown.
    await add('broken.pdf', 'application/pdf', 'not a pdf');
    const broken = store.getByRole('listitem', { name: 'File broken.pdf' });
    await expect(broken.locator('[data-status]')).toHaveText(/Failed/);
    await expect(broken).toContainText('invalid_file:');
    await expect(store).toContainText('2 files: 1 completed, 1 failed');
    const api = filesApi(request);
    expect((await api.getVectorStore(storeId)).file_counts).toMatchObject({
      completed: 1,
      failed: 1,
      total: 2,
    });

    // A type file search cannot read is refused as OpenAI refuses it, said in the form.
    await add('photo.bin', 'application/octet-stream', 'binary');
    await expect(store.getByRole('alert')).toContainText(
      'Not added to the vector store: Files with extensions [.bin] are not supported for retrieval.',
    );
    await expect(store.getByRole('listitem', { name: 'File photo.bin' })).toHaveCount(0);

    // Removing a file takes it out of the store (it stays in Files); deleting the store closes it.
    await broken.getByRole('button', { name: 'Remove broken.pdf from the vector store' }).click();
    await expect(broken).toHaveCount(0);
    await expect(store).toContainText('1 file: 1 completed');
    await expect(
      page
        .getByRole('region', { name: 'Files', exact: true })
        .getByRole('row')
        .filter({ hasText: 'broken.pdf' })
        .first(),
    ).toBeVisible();
    await store.getByRole('button', { name: `Delete vector store ${storeName}` }).click();
    await page
      .getByRole('dialog', { name: `Delete vector store ${storeName}?` })
      .getByRole('button', { name: 'Delete vector store' })
      .click();
    await expect(store).toHaveCount(0);
    await expect(listed).toHaveCount(0);
    await expect(page).toHaveURL(/\/files$/);
  });
});

for (const theme of ['light', 'dark'] as const) {
  test(`the Files page has no serious or critical axe violation (${theme})`, async ({ page, request }) => {
    const api = filesApi(request);
    const guide = await api.upload('axe-guide.md', 'Axe checks this page.');
    const broken = await api.upload('axe-broken.pdf', 'not a pdf');
    const store = await api.createVectorStore(`Axe store ${theme}`, [guide.id, broken.id]);
    await page.addInitScript(
      (choice) => window.localStorage.setItem('runboard.theme', JSON.stringify(choice)),
      theme,
    );
    // The page with a store open (a completed and a failed file) and a file asked for by a link.
    await page.goto(`/files?store=${store.id}&file=${guide.id}`);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await expect(page.getByRole('region', { name: 'File', exact: true })).toContainText('axe-guide.md');
    await expect(
      page.getByRole('listitem', { name: 'File axe-broken.pdf' }).locator('[data-status]'),
    ).toHaveText(/Failed/);
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
