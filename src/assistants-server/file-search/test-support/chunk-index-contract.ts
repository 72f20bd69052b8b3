import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_CANDIDATES, type ChunkIndex, type ChunkToStore } from '../chunk-index';

/** How a suite opens the engine under test. */
export interface ChunkIndexEngine {
  /** An empty index (a fresh database, or emptied tables). */
  open(options?: { vectorCacheBytes?: number; matchBudget?: number }): Promise<ChunkIndex>;
  /** After a fill: what the engine does in the background (PostgreSQL's ANALYZE). */
  settle?(): Promise<void>;
  /** Two indexes on one database, as two server instances hold them (each with its own vector cache). */
  openTwoInstances(): Promise<[ChunkIndex, ChunkIndex]>;
}

const text = (value: string): ChunkToStore => ({
  text: value,
  tokens: value.split(' ').length,
  embedding: null,
});
const vector = (...values: number[]) => Float32Array.from(values);

/**
 * One behaviour for every `ChunkIndex`: SQLite's (`sqlite-chunk-index.test.ts`) and PostgreSQL's
 * (`store/postgres/file-search/postgres-chunk-index.test.ts`) run these same tests.
 */
export function describeChunkIndex(name: string, engine: ChunkIndexEngine): void {
  let index: ChunkIndex;
  beforeEach(async () => {
    index = await engine.open();
  });

  async function seed() {
    await index.putFile({
      vectorStoreId: 'vs_a',
      fileId: 'file_pumps',
      filename: 'pumps.md',
      chunks: [text('The pump is inspected every ninety days.'), text('Pumps run on diesel in winter.')],
    });
    await index.putFile({
      vectorStoreId: 'vs_a',
      fileId: 'file_hr',
      filename: 'handbook.txt',
      chunks: [text('Holidays are requested through the people portal.')],
    });
    await index.putFile({
      vectorStoreId: 'vs_b',
      fileId: 'file_other',
      filename: 'other.txt',
      chunks: [text('Inspection of the pump in store b.')],
    });
  }

  describe(`${name}.searchText`, () => {
    it('finds chunks by their words (stemmed, stop words aside), best first, in the stores asked only', async () => {
      await seed();
      const hits = await index.searchText(['vs_a'], 'When is the pump inspection?', { limit: 10 });
      expect(hits.map((hit) => [hit.fileId, hit.chunkIndex])).toEqual([
        ['file_pumps', 0],
        ['file_pumps', 1],
      ]);
      expect(hits[0]).toMatchObject({ vectorStoreId: 'vs_a', filename: 'pumps.md' });
      expect(hits.every((hit) => hit.score > 0 && hit.score < 1)).toBe(true);
      expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
      const both = await index.searchText(['vs_a', 'vs_b'], 'pump inspection', { limit: 10 });
      expect(new Set(both.map((hit) => hit.vectorStoreId))).toEqual(new Set(['vs_a', 'vs_b']));
    });

    it('returns at most limit hits and none under the score threshold', async () => {
      await seed();
      expect(await index.searchText(['vs_a'], 'pump the', { limit: 1 })).toHaveLength(1);
      const all = await index.searchText(['vs_a'], 'pump inspected portal', { limit: 10 });
      const threshold = (all[0]!.score + all.at(-1)!.score) / 2;
      const strong = await index.searchText(['vs_a'], 'pump inspected portal', {
        limit: 10,
        scoreThreshold: threshold,
      });
      expect(strong.length).toBeGreaterThan(0);
      expect(strong.length).toBeLessThan(all.length);
      expect(strong.every((hit) => hit.score >= threshold)).toBe(true);
    });

    it("reads query syntax (FTS5's, tsquery's) as plain words", async () => {
      await seed();
      for (const query of [
        '"pump',
        'pump*',
        'NEAR(pump diesel)',
        'pump AND -diesel',
        'text:pump',
        '^pump OR )',
      ]) {
        const hits = await index.searchText(['vs_a'], query, { limit: 5 });
        expect(hits.map((hit) => hit.fileId)).toContain('file_pumps');
      }
      expect(await index.searchText(['vs_a'], ' ?! ', { limit: 5 })).toEqual([]);
      expect(await index.searchText([], 'pump', { limit: 5 })).toEqual([]);
    });

    it('finds the best of a small store among the many better matches of a large one', async () => {
      const many = Array.from({ length: 1_100 }, (_, n) => text(`pump pump pump ${n}`));
      await index.putFile({
        vectorStoreId: 'vs_big',
        fileId: 'file_many',
        filename: 'many.txt',
        chunks: many,
      });
      await index.putFile({
        vectorStoreId: 'vs_small',
        fileId: 'file_few',
        filename: 'few.txt',
        chunks: [text('a pump in a long sentence about other things'), text('one pump')],
      });
      const hits = await index.searchText(['vs_small'], 'pump', { limit: 5 });
      expect(hits.map((hit) => hit.text).sort()).toEqual([
        'a pump in a long sentence about other things',
        'one pump',
      ]);
    });

    it('ranks only the chunks holding the rarer words when the commoner ones would pass the match budget', async () => {
      const chunks = Array.from({ length: 300 }, (_, n) =>
        text(`pump ${n % 100 === 7 ? 'valve' : 'housing'} ${n}`),
      );
      for (const matchBudget of [undefined, 50]) {
        index = await engine.open({ matchBudget });
        await index.putFile({ vectorStoreId: 'vs_a', fileId: 'file_1', filename: 'a.txt', chunks });
        await engine.settle?.();
        const hits = await index.searchText(['vs_a'], 'pump valve', { limit: 10 });
        if (matchBudget === undefined) {
          expect(hits).toHaveLength(10);
        } else {
          expect(hits.map((hit) => hit.text).sort()).toEqual([
            'pump valve 107',
            'pump valve 207',
            'pump valve 7',
          ]);
        }
      }
    });

    it(`returns at most ${MAX_CANDIDATES} hits whatever limit is asked`, async () => {
      const chunks = Array.from({ length: MAX_CANDIDATES + 20 }, (_, n) => text(`pump number ${n}`));
      await index.putFile({ vectorStoreId: 'vs_a', fileId: 'file_many', filename: 'many.txt', chunks });
      expect(await index.searchText(['vs_a'], 'pump', { limit: 10_000 })).toHaveLength(MAX_CANDIDATES);
    });
  });

  describe(`${name} files and stores`, () => {
    it('replaces a file put again, and forgets a deleted file in its words too', async () => {
      await seed();
      await index.putFile({
        vectorStoreId: 'vs_a',
        fileId: 'file_pumps',
        filename: 'pumps.md',
        chunks: [text('Pumps were replaced by turbines.')],
      });
      expect((await index.searchText(['vs_a'], 'pump', { limit: 10 })).map((hit) => hit.text)).toEqual([
        'Pumps were replaced by turbines.',
      ]);
      expect(await index.deleteFile('vs_a', 'file_pumps')).toBe(true);
      expect(await index.deleteFile('vs_a', 'file_pumps')).toBe(false);
      expect(await index.searchText(['vs_a'], 'pump turbines', { limit: 10 })).toEqual([]);
      expect((await index.searchText(['vs_b'], 'pump', { limit: 10 })).length).toBe(1);
    });

    it("keeps the newer generation's chunks of a file whichever write lands last, each once", async () => {
      // Two instances process the same file: A read it (generation 1), then it was attached again and B processed it
      // (generation 2); A's write comes late.
      const [a, b] = await engine.openTwoInstances();
      const put = (on: ChunkIndex, generation: number, texts: string[]) =>
        on.putFile({
          vectorStoreId: 'vs_a',
          fileId: 'file_1',
          filename: 'a.txt',
          chunks: texts.map(text),
          generation,
        });
      const newer = ['The pump is inspected weekly.', 'The pump room stays locked.'];
      const found = async (on: ChunkIndex) =>
        (await on.searchText(['vs_a'], 'pump', { limit: 10 })).map((hit) => hit.text).sort();
      expect(await put(b, 2, newer)).toMatchObject({ chunks: 2 });
      expect(await put(a, 1, ['The pump is inspected yearly.'])).toBeNull();
      expect(await found(a)).toEqual([...newer].sort());
      expect(await a.usage('vs_a')).toMatchObject({ files: 1, chunks: 2 });
      // A's clean-up (up to its generation) leaves B's chunks; B's takes them.
      expect(await a.deleteFile('vs_a', 'file_1', 1)).toBe(false);
      expect(await found(b)).toEqual([...newer].sort());
      expect(await b.deleteFile('vs_a', 'file_1', 2)).toBe(true);
      expect(await found(a)).toEqual([]);

      // Both writes at once, in either order: generation 2's chunks, each once.
      for (const order of [
        [1, 2],
        [2, 1],
      ]) {
        await Promise.all(
          order.map((generation) =>
            put(generation === 1 ? a : b, generation + 10, generation === 1 ? ['The pump is old.'] : newer),
          ),
        );
        expect(await found(a)).toEqual([...newer].sort());
        await b.deleteFile('vs_a', 'file_1');
      }
    });

    it('counts usage (UTF-8 bytes of text and embeddings) and deletes a whole store', async () => {
      await index.putFile({
        vectorStoreId: 'vs_a',
        fileId: 'file_1',
        filename: 'a.txt',
        chunks: [{ text: 'héllo', tokens: 2, embedding: vector(1, 0, 0) }, text('world')],
      });
      expect(await index.usage('vs_a')).toEqual({ files: 1, chunks: 2, usageBytes: 6 + 12 + 5 });
      expect(await index.deleteVectorStore('vs_a')).toBe(2);
      expect(await index.usage('vs_a')).toEqual({ files: 0, chunks: 0, usageBytes: 0 });
      expect(await index.searchVectors(['vs_a'], vector(1, 0, 0), { limit: 5 })).toEqual([]);
    });
  });

  describe(`${name}.searchVectors`, () => {
    it('ranks by cosine similarity, skipping chunks without an embedding or of another dimension', async () => {
      await index.putFile({
        vectorStoreId: 'vs_a',
        fileId: 'file_1',
        filename: 'a.txt',
        chunks: [
          { text: 'east', tokens: 1, embedding: vector(10, 0) },
          { text: 'north-east', tokens: 1, embedding: vector(1, 1) },
          { text: 'west', tokens: 1, embedding: vector(-1, 0) },
          { text: 'no vector', tokens: 1, embedding: null },
          { text: 'other model', tokens: 1, embedding: vector(1, 0, 0) },
        ],
      });
      const hits = await index.searchVectors(['vs_a'], vector(2, 0.1), { limit: 10 });
      expect(hits.map((hit) => hit.text)).toEqual(['east', 'north-east']);
      expect(hits[0]!.score).toBeCloseTo(0.9988, 3);
      expect(
        await index.searchVectors(['vs_a'], vector(2, 0.1), { limit: 10, scoreThreshold: 0.99 }),
      ).toHaveLength(1);
    });

    it.each([
      ['from the cache', undefined],
      ['read from the database (a store too large for the cache)', 0],
    ])(
      'scans every batch of a large store and keeps only the best limit, %s',
      async (_how, vectorCacheBytes) => {
        index = await engine.open({ vectorCacheBytes });
        const chunks: ChunkToStore[] = Array.from({ length: 5_000 }, (_, n) => ({
          text: `chunk ${n}`,
          tokens: 2,
          embedding: vector(1, n === 4_321 ? 0 : 1 + (n % 7)),
        }));
        await index.putFile({ vectorStoreId: 'vs_a', fileId: 'file_1', filename: 'a.txt', chunks });
        const hits = await index.searchVectors(['vs_a'], vector(1, 0), { limit: 3 });
        expect(hits.map((hit) => hit.text)).toEqual([
          'chunk 4321',
          expect.stringMatching(/^chunk/),
          expect.any(String),
        ]);
        expect(hits[0]!.score).toBeCloseTo(1, 5);
        expect(hits).toHaveLength(3);
      },
    );
  });

  describe(`${name} vector cache`, () => {
    /** Puts a file of one chunk with this vector into vs_a. */
    const putVector = (search: ChunkIndex, fileId: string, text: string, ...values: number[]) =>
      search.putFile({
        vectorStoreId: 'vs_a',
        fileId,
        filename: `${fileId}.txt`,
        chunks: [{ text, tokens: 1, embedding: vector(...values) }],
      });
    const nearest = async (search: ChunkIndex) =>
      (await search.searchVectors(['vs_a'], vector(1, 0), { limit: 1 })).map((hit) => hit.text);

    it('sees every write to the store after a search filled the cache', async () => {
      await putVector(index, 'f1', 'old', 1, 1);
      expect(await nearest(index)).toEqual(['old']);
      await putVector(index, 'f2', 'new', 1, 0.1);
      expect(await nearest(index)).toEqual(['new']);
      await index.deleteFile('vs_a', 'f2');
      expect(await nearest(index)).toEqual(['old']);
      await index.deleteVectorStore('vs_a');
      expect(await nearest(index)).toEqual([]);
      // Same ids again after the delete: the version, not the ids, tells the cache it is stale.
      await putVector(index, 'f1', 'again', 1, 2);
      expect(await nearest(index)).toEqual(['again']);
    });

    it("sees another instance's writes to the same database", async () => {
      const [first, second] = await engine.openTwoInstances();
      await putVector(first, 'f1', 'first', 1, 1);
      expect(await nearest(first)).toEqual(['first']);
      await putVector(second, 'f2', 'second', 1, 0);
      expect(await nearest(first)).toEqual(['second']);
    });
  });
}
