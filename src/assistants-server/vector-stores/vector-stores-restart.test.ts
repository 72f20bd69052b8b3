import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, expect, it } from 'vitest';
import { FileBytes } from '../files/file-bytes';
import { openSqliteStore } from '../store/sqlite-assistants-store';
import { createHarness, TEST_START_MS } from '../test-support/emulator-harness';
import { newVectorStore, newVectorStoreFile } from './vector-store-objects';
import { AUTO_CHUNKING } from '../file-search/chunking';

const folder = mkdtempSync(join(tmpdir(), 'runboard-vs-restart-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

it('files left waiting by a stop are processed when the server starts again', async () => {
  const dbPath = join(folder, 'emulator.db');
  // What a server that stopped mid-processing leaves: the file, its bytes, a store and a waiting row.
  const store = openSqliteStore(dbPath);
  const bytes = FileBytes.beside(dbPath);
  const now = Math.floor(TEST_START_MS / 1000);
  const text = 'The night shift checks the boiler pressure at midnight.';
  await bytes.write('file-waiting1', Readable.from([Buffer.from(text)]), 1024);
  await store.files.insert({
    id: 'file-waiting1',
    object: 'file',
    bytes: text.length,
    created_at: now,
    filename: 'shifts.txt',
    purpose: 'assistants',
    status: 'processed',
  });
  const vectorStore = newVectorStore({ name: 'left waiting' }, now);
  await store.transaction(async (tx) => {
    await tx.vectorStores.insert({
      ...vectorStore,
      status: 'in_progress',
      file_counts: { in_progress: 1, completed: 0, failed: 0, cancelled: 0, total: 1 },
    });
    await tx.vectorStoreFiles.put(
      newVectorStoreFile(
        vectorStore.id,
        { fileId: 'file-waiting1', chunking: AUTO_CHUNKING, attributes: null },
        now,
      ),
      null,
    );
  });
  await store.close();

  const harness = await createHarness({ dbPath });
  try {
    await harness.emulator.vectorStoreFiles.whenIdle();
    const file = await harness.client.vectorStores.files.retrieve('file-waiting1', {
      vector_store_id: vectorStore.id,
    });
    expect(file.status).toBe('completed');
    const resumed = await harness.client.vectorStores.retrieve(vectorStore.id);
    expect(resumed).toMatchObject({ status: 'completed', file_counts: { completed: 1, in_progress: 0 } });
    const hits = await harness.client.vectorStores.search(vectorStore.id, { query: 'boiler pressure' });
    expect(hits.data.map((hit) => hit.file_id)).toEqual(['file-waiting1']);
  } finally {
    await harness.close();
  }
});
