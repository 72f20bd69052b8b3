import { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../test-support/emulator-harness';
import { loadContract, SPEC_AVAILABLE, type Contract } from '../test-support/openapi-contract';

/** The vector store objects, single and listed, in each status, checked against OpenAI's published schemas. */
let contract: Contract;
let harness: Harness;

async function json(path: string, body?: unknown): Promise<unknown> {
  const response = await harness.app.request(`/v1${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status, path).toBe(200);
  return response.json();
}

async function del(path: string): Promise<unknown> {
  return (await harness.app.request(`/v1${path}`, { method: 'DELETE' })).json();
}

describe.skipIf(!SPEC_AVAILABLE)('the contract: vector store answers match openai-openapi.yaml', () => {
  beforeAll(async () => {
    contract = loadContract();
    harness = await createHarness();
  }, 60_000); // parsing the 3 MB spec takes seconds on a busy machine
  afterAll(() => harness.close());

  it('stores, files (in progress, completed, failed), batches, search results and deletions', async () => {
    const upload = async (text: string, name: string) =>
      (
        await harness.client.files.create({
          file: await toFile(Buffer.from(text), name),
          purpose: 'assistants',
        })
      ).id;
    const good = await upload('Pallets are stacked four high in aisle nine.', 'warehouse.md');
    const broken = await upload('%PDF-1.4 broken', 'broken.pdf');

    const created = await json('/vector_stores', {
      name: 'contract',
      file_ids: [good],
      expires_after: { anchor: 'last_active_at', days: 3 },
      metadata: { k: 'v' },
    });
    contract.assertMatches('VectorStoreObject', created);
    const { id } = created as { id: string };
    const waiting = await json(`/vector_stores/${id}/files/${good}`);
    expect((waiting as { status: string }).status).toBe('in_progress');
    contract.assertMatches('VectorStoreFileObject', waiting);

    const batch = await json(`/vector_stores/${id}/file_batches`, { file_ids: [broken] });
    contract.assertMatches('VectorStoreFileBatchObject', batch);
    await harness.emulator.vectorStoreFiles.whenIdle();

    contract.assertMatches('VectorStoreObject', await json(`/vector_stores/${id}`));
    contract.assertMatches('ListVectorStoresResponse', await json('/vector_stores'));
    const files = (await json(`/vector_stores/${id}/files`)) as { data: Array<{ status: string }> };
    expect(files.data.map((file) => file.status).sort()).toEqual(['completed', 'failed']);
    contract.assertMatches('ListVectorStoreFilesResponse', files);
    contract.assertMatches(
      'VectorStoreFileBatchObject',
      await json(`/vector_stores/${id}/file_batches/${(batch as { id: string }).id}`),
    );
    contract.assertMatches(
      'ListVectorStoreFilesResponse',
      await json(`/vector_stores/${id}/file_batches/${(batch as { id: string }).id}/files`),
    );
    const page = (await json(`/vector_stores/${id}/search`, { query: 'pallets aisle' })) as {
      data: unknown[];
    };
    expect(page.data.length).toBeGreaterThan(0);
    contract.assertMatches('VectorStoreSearchResultsPage', page);

    contract.assertMatches('DeleteVectorStoreFileResponse', await del(`/vector_stores/${id}/files/${good}`));
    contract.assertMatches('DeleteVectorStoreResponse', await del(`/vector_stores/${id}`));
  });
});
