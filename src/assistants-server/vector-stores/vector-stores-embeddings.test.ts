import { toFile } from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  startScriptedEmbeddingsServer,
  type ScriptedEmbeddingsServer,
} from '../file-search/test-support/scripted-embeddings-server';
import { createHarness, type Harness } from '../test-support/emulator-harness';

/**
 * Vector stores with `RUNBOARD_EMBEDDING_MODEL`: chunks are embedded by the model endpoint (the scripted stand-in,
 * whose vectors are bags of words) while files are processed, queries when searched; an endpoint that refuses fails
 * the file with `server_error`, and a search whose query cannot be embedded goes on by words.
 */
let embeddings: ScriptedEmbeddingsServer;
let harness: Harness;
beforeAll(async () => {
  embeddings = await startScriptedEmbeddingsServer();
  harness = await createHarness({
    model: {
      endpoint: { baseUrl: new URL(embeddings.url), apiKey: 'sk-embed', idleTimeoutMs: 5_000 },
      modelMap: { 'text-embedding-3-small': 'nomic-embed-text' },
      concurrency: 2,
      retry: { maxRetries: 0, backoffMs: () => 1 },
    },
    fileSearch: { embeddingModel: 'text-embedding-3-small' },
  });
});
afterAll(async () => {
  await harness.close();
  await embeddings.close();
});

async function storeWith(text: string, filename: string) {
  const file = await harness.client.files.create({
    file: await toFile(Buffer.from(text), filename),
    purpose: 'assistants',
  });
  const vectorStore = await harness.client.vectorStores.create({ file_ids: [file.id] });
  await harness.emulator.vectorStoreFiles.whenIdle();
  return { file, vectorStore };
}

it('embeds the chunks while processing and the query while searching, on the mapped model', async () => {
  embeddings.reset();
  const { file, vectorStore } = await storeWith(
    'Lighthouse keepers trim the lamp wick at dusk.',
    'keepers.txt',
  );
  expect(embeddings.requests).toHaveLength(1);
  expect(embeddings.requests[0]).toMatchObject({
    model: 'nomic-embed-text',
    input: ['Lighthouse keepers trim the lamp wick at dusk.'],
    authorization: 'Bearer sk-embed',
  });
  const stored = await harness.client.vectorStores.files.retrieve(file.id, {
    vector_store_id: vectorStore.id,
  });
  expect(stored.status).toBe('completed');

  const page = await harness.client.vectorStores.search(vectorStore.id, { query: 'lamp wick' });
  expect(embeddings.requests).toHaveLength(2);
  expect(embeddings.requests[1]!.input).toEqual(['lamp wick']);
  expect(page.data.map((hit) => hit.file_id)).toEqual([file.id]);
});

it('an endpoint that refuses fails the file with server_error; a search goes on by words', async () => {
  embeddings.reset();
  embeddings.script({ status: 400, message: 'model not found' });
  const { file, vectorStore } = await storeWith('Ferries sail at dawn.', 'ferries.txt');
  const failed = await harness.client.vectorStores.files.retrieve(file.id, {
    vector_store_id: vectorStore.id,
  });
  expect(failed.status).toBe('failed');
  expect(failed.last_error?.code).toBe('server_error');
  expect(failed.last_error?.message).toBe("The file's chunks could not be embedded: model not found");
  expect((await harness.client.vectorStores.retrieve(vectorStore.id)).file_counts).toMatchObject({
    failed: 1,
  });

  const { file: good, vectorStore: other } = await storeWith('Trains leave at noon.', 'trains.txt');
  embeddings.script({ status: 400, message: 'model not found' });
  const page = await harness.client.vectorStores.search(other.id, { query: 'trains noon' });
  expect(page.data.map((hit) => hit.file_id)).toEqual([good.id]);
});
