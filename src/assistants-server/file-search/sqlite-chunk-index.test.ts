import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../platform/logger';
import type { ChunkHit } from './chunk-index';
import { MAX_QUERY_TERMS } from './query-terms';
import { bm25Score, ftsQuery, SqliteChunkIndex } from './sqlite-chunk-index';
import { describeChunkIndex } from './test-support/chunk-index-contract';

const directory = mkdtempSync(join(tmpdir(), 'runboard-chunk-index-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
let files = 0;

describeChunkIndex('SqliteChunkIndex', {
  open: async (options) => new SqliteChunkIndex(new Database(':memory:'), options),
  async openTwoInstances() {
    const path = join(directory, `shared-${files++}.sqlite`);
    return [new SqliteChunkIndex(new Database(path)), new SqliteChunkIndex(new Database(path))];
  },
});

// The same behaviour with the search by words in a worker thread, on a read-only connection to the file.
const withWorkers: SqliteChunkIndex[] = [];
afterAll(() => Promise.all(withWorkers.splice(0).map((index) => index.close())));
describeChunkIndex('SqliteChunkIndex, searching in a worker', {
  async open(options) {
    const index = new SqliteChunkIndex(new Database(join(directory, `worker-${files++}.sqlite`)), {
      ...options,
      searchWorkers: { workers: 1, logger: silentLogger },
    });
    withWorkers.push(index);
    return index;
  },
  async openTwoInstances() {
    const path = join(directory, `shared-${files++}.sqlite`);
    const pair: [SqliteChunkIndex, SqliteChunkIndex] = [
      new SqliteChunkIndex(new Database(path), { searchWorkers: { workers: 1, logger: silentLogger } }),
      new SqliteChunkIndex(new Database(path), { searchWorkers: { workers: 1, logger: silentLogger } }),
    ];
    withWorkers.push(...pair);
    return pair;
  },
});

describe('SqliteChunkIndex search workers', () => {
  it('searches a database file in a worker, with the same hits as this thread; :memory: here', async () => {
    const path = join(directory, `compare-${files++}.sqlite`);
    const here = new SqliteChunkIndex(new Database(path));
    const worker = new SqliteChunkIndex(new Database(path), {
      searchWorkers: { workers: 1, logger: silentLogger },
    });
    withWorkers.push(worker);
    await here.putFile({
      vectorStoreId: 'vs_a',
      fileId: 'file_1',
      filename: 'pumps.md',
      chunks: ['The pump is inspected every ninety days.', 'Pumps run on diesel.'].map((text) => ({
        text,
        tokens: 8,
        embedding: null,
      })),
    });
    const query = 'When is the pump inspected?';
    const hits = await worker.searchText(['vs_a'], query, { limit: 5 });
    expect(hits.map((hit) => hit.text)).toEqual([
      'The pump is inspected every ninety days.',
      'Pumps run on diesel.',
    ]);
    expect(hits).toEqual(await here.searchText(['vs_a'], query, { limit: 5 }));
    expect(worker.searchWorkerStats).toEqual({ workers: 1, running: 0, waiting: 0 });
    expect(here.searchWorkerStats).toBeNull();
    expect(
      new SqliteChunkIndex(new Database(':memory:'), { searchWorkers: { workers: 1, logger: silentLogger } })
        .searchWorkerStats,
    ).toBeNull();
  });
});

describe('SqliteChunkIndex query words and scores', () => {
  it(`keeps the first ${MAX_QUERY_TERMS} distinct words of a long query`, () => {
    const query = Array.from({ length: 200 }, (_, n) => `word${n % 100}`).join(' ');
    expect(ftsQuery(query)!.split(' OR ')).toHaveLength(MAX_QUERY_TERMS);
    expect(ftsQuery('Pump pump PUMP')).toBe('"pump"');
  });

  it('leaves stop words out of a query that has other words', () => {
    expect(ftsQuery('What is the pump for?')).toBe('"pump"');
    expect(ftsQuery('To be or not to be')).toBe('"not"');
    expect(ftsQuery('to be or')).toBe('"to" OR "be" OR "or"');
  });

  it('maps bm25 to 0–1, the same for a given bm25 whatever else matched', () => {
    expect(bm25Score(0)).toBe(0);
    expect(bm25Score(4)).toBe(0.5);
    expect(bm25Score(1e9)).toBeLessThan(1);
  });
});

it('adds the generation column to a database made before it: its files are of generation 0', async () => {
  const db = new Database(':memory:');
  db.exec(`CREATE TABLE file_search_files (vector_store_id TEXT NOT NULL, file_id TEXT NOT NULL,
    filename TEXT NOT NULL, chunk_count INTEGER NOT NULL, usage_bytes INTEGER NOT NULL,
    PRIMARY KEY (vector_store_id, file_id)) WITHOUT ROWID`);
  db.exec(`INSERT INTO file_search_files VALUES ('vs_a', 'file_1', 'a.txt', 0, 0)`);
  const index = new SqliteChunkIndex(db);
  const chunks = [{ text: 'The pump is new.', tokens: 4, embedding: null }];
  const put = { vectorStoreId: 'vs_a', fileId: 'file_1', filename: 'a.txt', chunks };
  expect(await index.putFile({ ...put, generation: 1 })).toMatchObject({ chunks: 1 });
  expect(await index.putFile({ ...put, generation: 0 })).toBeNull();
});

describe('SqliteChunkIndex search workers falling back to this thread', () => {
  const misbehaving = new URL('./test-support/misbehaving-search-worker.ts', import.meta.url);

  async function indexWithMisbehavingWorker(maxWaiting = 8) {
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (message: string) => void warnings.push(message) };
    const index = new SqliteChunkIndex(new Database(join(directory, `fallback-${files++}.sqlite`)), {
      searchWorkers: { workers: 1, entry: misbehaving, maxWaiting, logger },
    });
    withWorkers.push(index);
    await index.putFile({
      vectorStoreId: 'vs_a',
      fileId: 'file_1',
      filename: 'pumps.md',
      chunks: [{ text: 'The pump crash log is busy.', tokens: 8, embedding: null }],
    });
    return { index, warnings };
  }
  const texts = (hits: ChunkHit[]) => hits.map((hit) => hit.text);
  const here = ['The pump crash log is busy.'];

  it('searches here past the waiting bound', async () => {
    const { index } = await indexWithMisbehavingWorker(0);
    const [inWorker, pastBound] = await Promise.all([
      index.searchText(['vs_a'], 'pump', { limit: 5 }),
      index.searchText(['vs_a'], 'pump', { limit: 5 }),
    ]);
    expect(texts(inWorker)).toEqual(['answered by the worker']);
    expect(texts(pastBound)).toEqual(here);
  });

  it('searches here when the worker dies, and in a new worker next', async () => {
    const { index } = await indexWithMisbehavingWorker();
    expect(texts(await index.searchText(['vs_a'], 'pump crash', { limit: 5 }))).toEqual(here);
    expect(texts(await index.searchText(['vs_a'], 'pump', { limit: 5 }))).toEqual(['answered by the worker']);
  });

  it('searches here when the search fails inside the worker (SQLITE_BUSY), logging it once', async () => {
    const { index, warnings } = await indexWithMisbehavingWorker();
    expect(texts(await index.searchText(['vs_a'], 'pump busy', { limit: 5 }))).toEqual(here);
    expect(texts(await index.searchText(['vs_a'], 'busy pump', { limit: 5 }))).toEqual(here);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/server's thread/);
  });

  it('searches here once its workers are closed', async () => {
    const { index } = await indexWithMisbehavingWorker();
    await index.close();
    expect(texts(await index.searchText(['vs_a'], 'pump', { limit: 5 }))).toEqual(here);
  });
});
