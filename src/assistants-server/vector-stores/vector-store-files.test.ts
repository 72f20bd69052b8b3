import { Readable } from 'node:stream';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { silentLogger } from '../../platform/logger';
import { EmulatorClock } from '../emulation/clock/emulator-clock';
import { AUTO_CHUNKING } from '../file-search/chunking';
import type { FileSearch, IndexOutcome } from '../file-search/file-search';
import { FolderFileBytes } from '../files/folder-file-bytes';
import type { FileBytes } from '../files/file-bytes';
import type { AssistantsStore } from '../store/assistants-store';
import { openSqliteStore } from '../store/sqlite-assistants-store';
import { newVectorStore } from './vector-store-objects';
import { VectorStoreFiles } from './vector-store-files';

/**
 * Two instances sharing one database may both process a waiting file (each reads the waiting rows). The one whose
 * compare-and-set loses must leave the chunks the other indexed: they are the file's, and it is `completed`.
 */
let store: AssistantsStore;
let bytes: FileBytes;
beforeEach(() => {
  store = openSqliteStore(':memory:');
  bytes = FolderFileBytes.beside(':memory:');
});
afterEach(async () => {
  await store.close();
  bytes.close();
});

it('an instance that loses the race to another keeps the chunks the other indexed', async () => {
  const clock = await EmulatorClock.load(store.settings, () => 1_700_000_000_000);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const slowEngine = {
    refusalBeforeReading: () => null,
    async index(): Promise<IndexOutcome> {
      await gate;
      return { status: 'completed', chunks: 1, tokens: 5, usageBytes: 20, pages: null };
    },
  } as unknown as FileSearch;
  const files = new VectorStoreFiles(store, slowEngine, bytes, clock, silentLogger, {
    concurrency: 1,
    maxQueued: 10,
  });
  await bytes.write('file-shared1', Readable.from([Buffer.from('The gate opens at six.')]), 1024);
  await store.files.insert({
    id: 'file-shared1',
    object: 'file',
    bytes: 22,
    created_at: 1,
    filename: 'gate.txt',
    purpose: 'assistants',
    status: 'processed',
  });
  const vectorStore = newVectorStore({}, 1);
  await store.transaction(async (tx) => {
    await tx.vectorStores.insert(vectorStore);
    await files.attach(
      tx,
      vectorStore.id,
      [{ fileId: 'file-shared1', chunking: AUTO_CHUNKING, attributes: null }],
      {
        param: () => 'file_id',
      },
    );
  });

  // Meanwhile the other instance indexed the file and wrote it completed.
  await store.chunkIndex.putFile({
    vectorStoreId: vectorStore.id,
    fileId: 'file-shared1',
    filename: 'gate.txt',
    chunks: [{ text: 'The gate opens at six.', tokens: 6, embedding: null }],
  });
  const waiting = (await store.vectorStoreFiles.getWaiting(vectorStore.id, 'file-shared1'))!;
  await store.vectorStoreFiles.finish(waiting, { status: 'completed', last_error: null, usage_bytes: 22 });

  release();
  await files.whenIdle();
  expect((await store.vectorStoreFiles.get(vectorStore.id, 'file-shared1'))?.status).toBe('completed');
  expect((await store.chunkIndex.usage(vectorStore.id)).chunks).toBe(1);
  files.close();
});
