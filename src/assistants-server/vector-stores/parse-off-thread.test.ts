import { toFile } from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { VectorStoreFile } from '../../shared/openai-types';
import { buildPdf } from '../file-search/test-support/make-fixtures';
import { createHarness, type Harness } from '../test-support/emulator-harness';

/**
 * A vector store file is parsed and chunked in a worker thread (`WorkerParser`), not in the server's: while a large
 * PDF is parsed, the server answers requests.
 */
let harness: Harness;
beforeAll(async () => (harness = await createHarness()));
afterAll(() => harness.close());

const PAGES = Array.from({ length: 200 }, (_, page) =>
  Array.from({ length: 40 }, (_, line) => `Page ${page + 1} line ${line + 1}: the kiln is fired at dawn.`),
);

const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

it('answers requests while a large PDF is parsed, and processes the PDF', async () => {
  const file = await harness.client.files.create({
    file: await toFile(buildPdf(PAGES), 'kiln-log.pdf'),
    purpose: 'assistants',
  });
  const store = await harness.client.vectorStores.create({ name: 'Kiln', file_ids: [file.id] });
  const parser = harness.emulator.fileParser;
  while (parser.stats.running === 0) await pause();

  // Requests answered while the file is in a worker: before each is sent and after it is answered, the parse runs.
  let answeredDuringParse = 0;
  while (parser.stats.running === 1) {
    const response = await harness.app.request(`/v1/vector_stores/${store.id}/files/${file.id}`);
    const answered = (await response.json()) as VectorStoreFile;
    if (parser.stats.running === 1) {
      expect(answered.status).toBe('in_progress');
      answeredDuringParse++;
    }
    // In process, a request is answered in microtasks: the worker's answer needs a turn of the event loop.
    await pause();
  }
  expect(answeredDuringParse).toBeGreaterThan(0);

  await harness.emulator.vectorStoreFiles.whenIdle();
  const done = await harness.client.vectorStores.files.retrieve(file.id, { vector_store_id: store.id });
  expect(done).toMatchObject({ status: 'completed', last_error: null });
  const found = await harness.client.vectorStores.search(store.id, { query: 'Page 200 line 40' });
  expect(found.data[0]?.content[0]?.text).toContain('Page 200');
});
