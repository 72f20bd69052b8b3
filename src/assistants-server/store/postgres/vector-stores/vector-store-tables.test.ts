import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { VectorStoreFile } from '../../../../shared/openai-types';
import { AUTO_CHUNKING } from '../../../file-search/chunking';
import {
  newFileBatch,
  newVectorStore,
  newVectorStoreFile,
} from '../../../vector-stores/vector-store-objects';
import type { AssistantsStore, StoreTables } from '../../assistants-store';
import type { PageResult } from '../../cursor-page';
import { openSqliteStore } from '../../sqlite-assistants-store';
import { describePostgres, withPostgres } from '../test-support/with-postgres';
import { PostgresVectorStoreFileTable } from './postgres-vector-store-files';
import { PostgresFileBatchTable, PostgresVectorStoreTable } from './postgres-vector-stores';

type Tables = Pick<StoreTables, 'vectorStores' | 'vectorStoreFiles' | 'fileBatches'>;

const ids = (page: PageResult) => ('rows' in page ? page.rows.map((row) => row.id) : page);

const fileOf = (vectorStoreId: string, fileId: string, createdAt: number): VectorStoreFile =>
  newVectorStoreFile(vectorStoreId, { fileId, chunking: AUTO_CHUNKING, attributes: { n: 1 } }, createdAt);

/** The same behaviour asked of both stores' vector store tables. */
function behavesAsVectorStoreTables(tables: () => Tables, reset: () => Promise<void>) {
  beforeEach(reset);

  it('keeps stores, pages them by seek in both orders, and deletes one with its files and batches', async () => {
    const { vectorStores, vectorStoreFiles, fileBatches } = tables();
    const stores = [100, 100, 200].map((at, index) => ({ ...newVectorStore({ name: `s${index}` }, at) }));
    for (const store of stores) await vectorStores.insert(store);
    expect(await vectorStores.get(stores[0]!.id)).toEqual(stores[0]);
    await vectorStores.update({ ...stores[0]!, name: 'renamed' });
    expect((await vectorStores.get(stores[0]!.id))?.name).toBe('renamed');

    const all = stores.map((store) => store.id);
    expect(ids(await vectorStores.page({ limit: 2, order: 'asc' }))).toEqual(all.slice(0, 2));
    expect(ids(await vectorStores.page({ limit: 5, order: 'desc', after: all[2] }))).toEqual([
      all[1],
      all[0],
    ]);
    expect(ids(await vectorStores.page({ limit: 1, order: 'asc', before: all[2] }))).toEqual([all[1]]);
    expect(await vectorStores.page({ limit: 1, order: 'asc', after: 'vs_unknown' })).toEqual({
      unknownCursor: 'after',
    });

    await vectorStoreFiles.put(fileOf(all[0]!, 'file-a', 100), null);
    const batch = newFileBatch(all[0]!, 1, 100);
    await fileBatches.insert(batch);
    expect(await fileBatches.get(batch.id)).toEqual(batch);
    expect(await vectorStores.delete(all[0]!)).toBe(true);
    expect(await vectorStores.delete(all[0]!)).toBe(false);
    expect(await vectorStoreFiles.get(all[0]!, 'file-a')).toBeNull();
    expect(await fileBatches.get(batch.id)).toBeNull();
  });

  it('files: put again moves a file to the end, compare-and-set, counts, waiting, filters and batch cancel', async () => {
    const { vectorStores, vectorStoreFiles } = tables();
    const store = newVectorStore({}, 100);
    await vectorStores.insert(store);
    for (const [index, fileId] of ['file-a', 'file-b', 'file-c'].entries()) {
      await vectorStoreFiles.put(
        fileOf(store.id, fileId, 100 + index),
        fileId === 'file-c' ? null : 'vsfb_1',
      );
    }
    // Attached again: the answer names the batch that had added the row it replaced.
    expect(await vectorStoreFiles.put(fileOf(store.id, 'file-a', 200), 'vsfb_2')).toBe('vsfb_1');
    expect(await vectorStoreFiles.put(fileOf(store.id, 'file-a', 200), 'vsfb_1')).toBe('vsfb_2');
    expect(ids(await vectorStoreFiles.page(store.id, {}, { limit: 10, order: 'asc' }))).toEqual([
      'file-b',
      'file-c',
      'file-a',
    ]);
    expect((await vectorStoreFiles.waiting(10)).map((job) => job.fileId)).toEqual([
      'file-b',
      'file-c',
      'file-a',
    ]);
    expect((await vectorStoreFiles.waiting(1))[0]).toEqual({
      vectorStoreId: store.id,
      fileId: 'file-b',
      batchId: 'vsfb_1',
    });

    const b = (await vectorStoreFiles.getWaiting(store.id, 'file-b'))!;
    expect(b.batchId).toBe('vsfb_1');
    const outcome = { status: 'completed', last_error: null, usage_bytes: 1234 } as const;
    // Attributes set while it was processed stay: the outcome writes its own fields only.
    expect(await vectorStoreFiles.setAttributes(store.id, 'file-b', { shelf: 'b2' })).toMatchObject({
      attributes: { shelf: 'b2' },
      status: 'in_progress',
    });
    expect(await vectorStoreFiles.finish({ ...b, seq: b.seq + 1000 }, outcome)).toBe(false);
    expect(await vectorStoreFiles.finish(b, outcome)).toBe(true);
    expect(await vectorStoreFiles.finish(b, outcome)).toBe(false);
    const completed: VectorStoreFile = { ...b.file, attributes: { shelf: 'b2' }, ...outcome };
    expect(await vectorStoreFiles.get(store.id, 'file-b')).toEqual(completed);
    expect(await vectorStoreFiles.getWaiting(store.id, 'file-b')).toBeNull();
    expect(await vectorStoreFiles.setAttributes(store.id, 'file-none', null)).toBeNull();
    const failed = (await vectorStoreFiles.getWaiting(store.id, 'file-c'))!;
    const lastError = { code: 'invalid_file', message: 'Broken.' } as const;
    expect(
      await vectorStoreFiles.finish(failed, { status: 'failed', last_error: lastError, usage_bytes: 0 }),
    ).toBe(true);
    expect(await vectorStoreFiles.get(store.id, 'file-c')).toMatchObject({
      status: 'failed',
      last_error: lastError,
    });
    expect(await vectorStoreFiles.put(fileOf(store.id, 'file-c', 300), null)).toBeNull();

    expect(await vectorStoreFiles.cancelWaitingInBatch('vsfb_1')).toEqual(['file-a']);
    expect((await vectorStoreFiles.get(store.id, 'file-a'))?.status).toBe('cancelled');
    expect(await vectorStoreFiles.counts(store.id)).toEqual({
      total: 3,
      in_progress: 1,
      completed: 1,
      failed: 0,
      cancelled: 1,
      usage_bytes: 1234,
    });
    expect(await vectorStoreFiles.counts(store.id, 'vsfb_1')).toMatchObject({ total: 2, in_progress: 0 });
    expect(
      ids(await vectorStoreFiles.page(store.id, { status: 'completed' }, { limit: 10, order: 'asc' })),
    ).toEqual(['file-b']);
    expect(
      ids(await vectorStoreFiles.page(store.id, { batchId: 'vsfb_1' }, { limit: 10, order: 'desc' })),
    ).toEqual(['file-a', 'file-b']);
    expect(await vectorStoreFiles.delete(store.id, 'file-a')).toEqual({ batchId: 'vsfb_1' });
    expect(await vectorStoreFiles.delete(store.id, 'file-c')).toEqual({ batchId: null });
    expect(await vectorStoreFiles.delete(store.id, 'file-c')).toBe(false);
    expect(await vectorStoreFiles.waiting(10)).toEqual([]);
  });

  it('files: the stores that hold a file, oldest first', async () => {
    const { vectorStores, vectorStoreFiles } = tables();
    const first = newVectorStore({}, 100);
    const second = newVectorStore({}, 101);
    await vectorStores.insert(first);
    await vectorStores.insert(second);
    await vectorStoreFiles.put(fileOf(first.id, 'file-shared', 100), null);
    await vectorStoreFiles.put(fileOf(second.id, 'file-shared', 101), null);
    await vectorStoreFiles.put(fileOf(second.id, 'file-other', 102), null);
    expect(await vectorStoreFiles.storesHolding('file-shared')).toEqual([first.id, second.id]);
    expect(await vectorStoreFiles.storesHolding('file-other')).toEqual([second.id]);
    expect(await vectorStoreFiles.storesHolding('file-none')).toEqual([]);
  });
}

describe('vector store tables on SQLite', () => {
  let store: AssistantsStore;
  beforeAll(() => {
    store = openSqliteStore(':memory:');
  });
  afterAll(() => store.close());
  behavesAsVectorStoreTables(
    () => store,
    async () => {
      const page = await store.vectorStores.page({ limit: 100, order: 'asc' });
      if ('rows' in page) for (const row of page.rows) await store.vectorStores.delete(row.id);
    },
  );
});

const database = withPostgres();
describePostgres('vector store tables on PostgreSQL', () => {
  behavesAsVectorStoreTables(
    () => ({
      vectorStores: new PostgresVectorStoreTable(database.client),
      vectorStoreFiles: new PostgresVectorStoreFileTable(database.client),
      fileBatches: new PostgresFileBatchTable(database.client),
    }),
    async () => {
      await database.client.query('TRUNCATE vector_stores, vector_store_files, vector_store_file_batches');
    },
  );
});
