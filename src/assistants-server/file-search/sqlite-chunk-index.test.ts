import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
