import { expect, it } from 'vitest';
import { describeChunkIndex } from '../../../file-search/test-support/chunk-index-contract';
import { describePostgres, withPostgres } from '../test-support/with-postgres';
import { PostgresChunkIndex, tsRankScore, TS_RANK_HALF } from './postgres-chunk-index';

const database = withPostgres();

async function emptied(): Promise<void> {
  await database.client.query(
    'TRUNCATE file_search_files, file_search_chunks, file_search_embeddings, file_search_store_versions',
  );
}

describePostgres('PostgresChunkIndex', () => {
  describeChunkIndex('PostgresChunkIndex', {
    async open(options) {
      await emptied();
      return new PostgresChunkIndex(database.client, options);
    },
    async settle() {
      await database.client.query('ANALYZE file_search_chunks');
    },
    async openTwoInstances() {
      await emptied();
      return [new PostgresChunkIndex(database.client), new PostgresChunkIndex(database.connect())];
    },
  });

  it('maps ts_rank_cd to 0–1, the same for a given rank whatever else matched', () => {
    expect(tsRankScore(0)).toBe(0);
    expect(tsRankScore(TS_RANK_HALF)).toBe(0.5);
    expect(tsRankScore(1e9)).toBeLessThan(1);
  });

  it('keeps a chunk or a filename holding U+0000 (which PostgreSQL text cannot), with U+FFFD in its place', async () => {
    await emptied();
    const index = new PostgresChunkIndex(database.client);
    await index.putFile({
      vectorStoreId: 'vs_a',
      fileId: 'file_nul',
      filename: 'a\u0000.txt',
      chunks: [{ text: 'pump\u0000 room', tokens: 2, embedding: null }],
    });
    const [hit] = await index.searchText(['vs_a'], 'pump', { limit: 5 });
    expect(hit).toMatchObject({ filename: 'a\uFFFD.txt', text: 'pump\uFFFD room' });
  });

  it('puts a file in one transaction: one failing midway leaves what the store held of it', async () => {
    await emptied();
    const index = new PostgresChunkIndex(database.client);
    await index.putFile({
      vectorStoreId: 'vs_a',
      fileId: 'file_1',
      filename: 'a.txt',
      chunks: [{ text: 'pump', tokens: 1, embedding: null }],
    });
    // The old chunks are deleted first; then a token count past int4 fails the insert.
    await expect(
      index.putFile({
        vectorStoreId: 'vs_a',
        fileId: 'file_1',
        filename: 'a.txt',
        chunks: [{ text: 'turbine', tokens: 2 ** 40, embedding: null }],
      }),
    ).rejects.toThrow();
    expect((await index.searchText(['vs_a'], 'turbine pump', { limit: 5 })).map((hit) => hit.text)).toEqual([
      'pump',
    ]);
    expect(await index.usage('vs_a')).toEqual({ files: 1, chunks: 1, usageBytes: 4 });
  });
});
