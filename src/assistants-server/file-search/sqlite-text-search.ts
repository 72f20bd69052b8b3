import type { Db } from '../store/database';
import type { ChunkHit } from './chunk-index';
import { boundedLimit, scoredHits, type ChunkRow } from './chunk-rows';
import { MATCH_BUDGET, queryTerms, termsWithinBudget } from './query-terms';

/**
 * A bm25 of this much scores 0.5: score = bm25 / (bm25 + BM25_HALF). Absolute, so a threshold means the same
 * whatever else matched. For scale: a word found in 10 of 10,000 chunks weighs about 7 (its idf), one in half of
 * them next to nothing.
 */
export const BM25_HALF = 4;
/** How many of the whole table's best matches a search ranks before it looks at their stores. */
const RANKED_FIRST = 1_000;
/** A word's chunks are counted up to this many match budgets. */
const COUNT_CAP = 2;

/**
 * Search by words on SQLite's `file_search_*` tables (FTS5's `bm25()`), synchronous and read-only: run on the
 * server's connection (`SqliteChunkIndex`), or on a read-only connection of its own in a worker thread
 * (`sqlite-search-worker.ts`).
 */
export class SqliteTextSearch {
  constructor(
    private readonly db: Db,
    private readonly matchBudget = MATCH_BUDGET,
  ) {}

  search(
    vectorStoreIds: readonly string[],
    query: string,
    options: { limit: number; scoreThreshold?: number },
  ): ChunkHit[] {
    const terms = queryTerms(query);
    if (terms.length === 0 || vectorStoreIds.length === 0) return [];
    const match = ftsExpression(this.affordableTerms(terms));
    const limit = boundedLimit(options.limit);
    const stores = JSON.stringify(vectorStoreIds);
    // Ranked over the whole table first (FTS5 alone: reading each match's chunk row to check its store costs several
    // times the ranking). The stores' best `limit` are the first of theirs in that ranking, if it holds `limit` of
    // them; otherwise (stores with few of the matches) each match's store is checked as it is ranked.
    const ranked = this.db
      .prepare(
        `SELECT rowid AS id, bm25(file_search_chunks_fts) AS rank FROM file_search_chunks_fts
         WHERE file_search_chunks_fts MATCH ? ORDER BY rank LIMIT ?`,
      )
      .all(match, RANKED_FIRST) as Array<{ id: number; rank: number }>;
    const theirs = this.db
      .prepare(
        `SELECT c.id FROM file_search_chunks c
         WHERE c.id IN (SELECT value FROM json_each(?)) AND c.vector_store_id IN (SELECT value FROM json_each(?))`,
      )
      .pluck()
      .all(JSON.stringify(ranked.map((row) => row.id)), stores) as number[];
    const inStores = new Set(theirs);
    let best = ranked.filter((row) => inStores.has(row.id)).slice(0, limit);
    if (best.length < limit && ranked.length === RANKED_FIRST) {
      best = this.db
        .prepare(
          `SELECT c.id, bm25(file_search_chunks_fts) AS rank FROM file_search_chunks_fts
           JOIN file_search_chunks c ON c.id = file_search_chunks_fts.rowid
           WHERE file_search_chunks_fts MATCH ? AND c.vector_store_id IN (SELECT value FROM json_each(?))
           ORDER BY rank LIMIT ?`,
        )
        .all(match, stores, limit) as Array<{ id: number; rank: number }>;
    }
    const rankOf = new Map(best.map((row) => [row.id, row.rank]));
    const rows = chunksById(
      this.db,
      best.map((row) => row.id),
    )
      .map((row) => ({ ...row, rank: rankOf.get(row.id)! }))
      .sort((a, b) => a.rank - b.rank || a.id - b.id);
    return scoredHits(rows, (row) => bm25Score(-row.rank), options.scoreThreshold);
  }

  /**
   * The words worth ranking the chunks that hold them (`termsWithinBudget`), once the table has more chunks than the
   * budget. FTS5 keeps no count per word: each is counted in its list (tens of ns a chunk), up to `COUNT_CAP` budgets
   * (past that, words are equally too common and the first of them is kept).
   */
  private affordableTerms(terms: string[]): string[] {
    if (terms.length < 2) return terms;
    const ids = this.db
      .prepare('SELECT coalesce(max(id) - min(id) + 1, 0) FROM file_search_chunks')
      .pluck()
      .get() as number;
    if (ids <= this.matchBudget) return terms;
    const count = this.db
      .prepare(
        `SELECT count(*) FROM (
           SELECT 1 FROM file_search_chunks_fts WHERE file_search_chunks_fts MATCH ? LIMIT ?
         )`,
      )
      .pluck();
    const cap = this.matchBudget * COUNT_CAP;
    const estimates = terms.map((term) => ({
      term,
      chunks: count.get(ftsExpression([term]), cap) as number,
    }));
    return termsWithinBudget(estimates, this.matchBudget);
  }
}

/** The chunks of these ids (those still there), with their file's name. */
export function chunksById(db: Db, ids: readonly number[]): ChunkRow[] {
  return db
    .prepare(
      `SELECT c.id, c.vector_store_id, c.file_id, f.filename, c.chunk_index, c.text
       FROM file_search_chunks c
       JOIN file_search_files f ON f.vector_store_id = c.vector_store_id AND f.file_id = c.file_id
       WHERE c.id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(ids)) as ChunkRow[];
}

/**
 * The query's words (`queryTerms`) as an FTS5 expression: each word quoted (FTS5's operators and syntax in a query
 * are plain words), any of them matching (`OR`). Null when the query has no word.
 */
export function ftsQuery(query: string): string | null {
  const terms = queryTerms(query);
  return terms.length === 0 ? null : ftsExpression(terms);
}

const ftsExpression = (terms: readonly string[]) => terms.map((word) => `"${word}"`).join(' OR ');

export function bm25Score(bm25: number): number {
  return bm25 <= 0 ? 0 : bm25 / (bm25 + BM25_HALF);
}
