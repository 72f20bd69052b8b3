import { toFile } from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { VectorStoreFile } from '../../shared/openai-types';
import { HOLDING_PARSE_WORKER, holdingParses } from '../file-search/test-support/holding-parses';
import { createHarness, type Harness } from '../test-support/emulator-harness';

/**
 * A vector store file is parsed and chunked in a worker thread (`WorkerParser`), not in the server's: while a file
 * is parsed, the server answers requests. The parse worker holds the file until the test lets it go.
 */
let harness: Harness;
const holding = holdingParses();
beforeAll(async () => (harness = await createHarness({ parseWorkerEntry: HOLDING_PARSE_WORKER })));
afterAll(async () => {
  holding.close();
  await harness.close();
});

it('answers requests while a file is parsed in a worker, and processes the file', async () => {
  const file = await harness.client.files.create({
    file: await toFile(Buffer.from('Page 200 line 40: the kiln is fired at dawn.'), 'kiln-log.txt'),
    purpose: 'assistants',
  });
  const store = await harness.client.vectorStores.create({ name: 'Kiln', file_ids: [file.id] });
  expect(await holding.next()).toBe('kiln-log.txt');

  // Held in its worker: the server answers meanwhile, the file still in progress.
  for (let request = 0; request < 3; request++) {
    const response = await harness.app.request(`/v1/vector_stores/${store.id}/files/${file.id}`);
    expect(((await response.json()) as VectorStoreFile).status).toBe('in_progress');
    expect(harness.emulator.fileParser.stats.running).toBe(1);
  }

  holding.release('kiln-log.txt');
  await harness.emulator.vectorStoreFiles.whenIdle();
  const done = await harness.client.vectorStores.files.retrieve(file.id, { vector_store_id: store.id });
  expect(done).toMatchObject({ status: 'completed', last_error: null });
  const found = await harness.client.vectorStores.search(store.id, { query: 'Page 200 line 40' });
  expect(found.data[0]?.content[0]?.text).toContain('Page 200');
});
