import { expect, it } from 'vitest';
import { openPostgresStore } from './postgres-assistants-store';
import { describePostgres, withPostgres } from './test-support/with-postgres';

const database = withPostgres();

describePostgres('the chunk index inside a store transaction', () => {
  // A call of the chunk index made in the course of a store transaction joins it. Scripted runs searched as they
  // finished, inside the run's transaction, until they searched before it (run-search/README.md, "Searched before
  // the transaction"); no search is made inside one now, but any future caller that does must not take a second
  // connection: on the pool each such search held its transaction's connection and waited for another, so with one
  // connection (PGlite's, or a pool of one) it waited for ever, and ten at once froze a pool of ten.
  it('searches on the transaction connection, so a pool of one connection does not wait for itself', async () => {
    const store = await openPostgresStore(database.connect({ maxConnections: 1 }));
    try {
      await store.chunkIndex.putFile({
        vectorStoreId: 'vs_tx',
        fileId: 'file_tx',
        filename: 'pumps.txt',
        chunks: [{ text: 'the pump room floods in spring', tokens: 6, embedding: null }],
      });
      const hits = await store.transaction(async (tx) => {
        await tx.settings.set('search_in_transaction', 'yes');
        return store.chunkIndex.searchText(['vs_tx'], 'pump room', { limit: 5 });
      });
      expect(hits.map((hit) => hit.fileId)).toEqual(['file_tx']);
      // The write and the search shared one transaction, which committed.
      expect(await store.settings.get('search_in_transaction')).toBe('yes');
    } finally {
      await store.close();
    }
  }, 20_000);
});
