import type { Db } from '../store/database';
import type { ChunkHit, ChunkIndex, FileChunks, FileUsage } from './chunk-index';
import { boundedLimit, scoredHits, usageOf, type ChunkRow } from './chunk-rows';
import { MATCH_BUDGET, queryTerms, termsWithinBudget } from './query-terms';
import { VectorSearch, type StoredVectors } from './vector-search';
import { toBlob, unitVector } from './vectors';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS file_search_files (
  vector_store_id TEXT NOT NULL,
  file_id TEXT NOT NULL,
  filename TEXT NOT NULL,
  chunk_count INTEGER NOT NULL,
  usage_bytes INTEGER NOT NULL,
  PRIMARY KEY (vector_store_id, file_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS file_search_chunks (
  id INTEGER PRIMARY KEY,
  vector_store_id TEXT NOT NULL,
  file_id TEXT NOT NULL,
  chunk_index INTEGER NOT NULL,
  text TEXT NOT NULL,
  tokens INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS file_search_chunks_by_file ON file_search_chunks (vector_store_id, file_id, chunk_index);

-- Embeddings apart from the text: a vector scan reads only these rows (in a chunk's row it would walk the text's
-- overflow pages first), in the order of the store's index.
CREATE TABLE IF NOT EXISTS file_search_embeddings (
  chunk_id INTEGER PRIMARY KEY,
  vector_store_id TEXT NOT NULL,
  embedding BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS file_search_embeddings_by_store ON file_search_embeddings (vector_store_id, chunk_id);
-- Bumped by every write to a store's chunks: a cache of its vectors is good while the version is the same. Rows are
-- never deleted, so a version is never used twice for a store.
CREATE TABLE IF NOT EXISTS file_search_store_versions (
  vector_store_id TEXT PRIMARY KEY,
  version INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS file_search_chunks_embedding_delete AFTER DELETE ON file_search_chunks BEGIN
  DELETE FROM file_search_embeddings WHERE chunk_id = old.id;
END;

-- The words of the chunks, kept by triggers beside the table (external content: the text is stored once).
-- porter: 'inspected' finds 'inspection'; remove_diacritics: 'resume' finds 'résumé'.
CREATE VIRTUAL TABLE IF NOT EXISTS file_search_chunks_fts USING fts5(
  text, content='file_search_chunks', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS file_search_chunks_fts_insert AFTER INSERT ON file_search_chunks BEGIN
  INSERT INTO file_search_chunks_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER IF NOT EXISTS file_search_chunks_fts_delete AFTER DELETE ON file_search_chunks BEGIN
  INSERT INTO file_search_chunks_fts (file_search_chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
`;

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
 * The chunk index on SQLite: its own `file_search_*` tables in the server's database. Text search is FTS5's
 * `bm25()`; vector search is `VectorSearch` over `file_search_embeddings` (no vector extension: the cost grows with
 * the stores' chunks).
 */
export class SqliteChunkIndex implements ChunkIndex {
  readonly searchVectors: ChunkIndex['searchVectors'];

  private readonly matchBudget: number;

  constructor(
    private readonly db: Db,
    options: { vectorCacheBytes?: number; matchBudget?: number } = {},
  ) {
    db.exec(SCHEMA);
    this.matchBudget = options.matchBudget ?? MATCH_BUDGET;
    const vectors = new VectorSearch(this.storedVectors(), options.vectorCacheBytes);
    this.searchVectors = (storeIds, embedding, search) => vectors.search(storeIds, embedding, search);
  }

  async putFile(file: FileChunks): Promise<FileUsage> {
    const usage = usageOf(file.chunks);
    const insert = this.db.prepare(
      `INSERT INTO file_search_chunks (vector_store_id, file_id, chunk_index, text, tokens) VALUES (?, ?, ?, ?, ?)`,
    );
    const insertEmbedding = this.db.prepare(
      'INSERT INTO file_search_embeddings (chunk_id, vector_store_id, embedding) VALUES (?, ?, ?)',
    );
    this.db.transaction(() => {
      this.deleteFileNow(file.vectorStoreId, file.fileId);
      this.bumpVersion(file.vectorStoreId);
      file.chunks.forEach((chunk, index) => {
        const { lastInsertRowid } = insert.run(
          file.vectorStoreId,
          file.fileId,
          index,
          chunk.text,
          chunk.tokens,
        );
        if (chunk.embedding) {
          insertEmbedding.run(lastInsertRowid, file.vectorStoreId, toBlob(unitVector(chunk.embedding)));
        }
      });
      this.db
        .prepare(
          `INSERT INTO file_search_files (vector_store_id, file_id, filename, chunk_count, usage_bytes)
           VALUES (?, ?, ?, ?, ?)`,
        )
        .run(file.vectorStoreId, file.fileId, file.filename, usage.chunks, usage.usageBytes);
    })();
    return usage;
  }

  async deleteFile(vectorStoreId: string, fileId: string): Promise<boolean> {
    return this.db.transaction(() => {
      this.bumpVersion(vectorStoreId);
      return this.deleteFileNow(vectorStoreId, fileId);
    })();
  }

  async deleteVectorStore(vectorStoreId: string): Promise<number> {
    return this.db.transaction(() => {
      this.bumpVersion(vectorStoreId);
      this.db.prepare('DELETE FROM file_search_files WHERE vector_store_id = ?').run(vectorStoreId);
      return this.db.prepare('DELETE FROM file_search_chunks WHERE vector_store_id = ?').run(vectorStoreId)
        .changes;
    })();
  }

  async usage(vectorStoreId: string): Promise<{ files: number } & FileUsage> {
    return this.db
      .prepare(
        `SELECT count(*) AS files, coalesce(sum(chunk_count), 0) AS chunks, coalesce(sum(usage_bytes), 0) AS usageBytes
         FROM file_search_files WHERE vector_store_id = ?`,
      )
      .get(vectorStoreId) as { files: number } & FileUsage;
  }

  async searchText(
    vectorStoreIds: readonly string[],
    query: string,
    options: { limit: number; scoreThreshold?: number },
  ): Promise<ChunkHit[]> {
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
    const rows = this.chunksById(best.map((row) => row.id))
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

  private storedVectors(): StoredVectors {
    const db = this.db;
    return {
      async version(vectorStoreId) {
        const row = db
          .prepare('SELECT version FROM file_search_store_versions WHERE vector_store_id = ?')
          .get(vectorStoreId) as { version: number } | undefined;
        return row?.version ?? 0;
      },
      async count(vectorStoreId) {
        return db
          .prepare('SELECT count(*) FROM file_search_embeddings WHERE vector_store_id = ?')
          .pluck()
          .get(vectorStoreId) as number;
      },
      async page(vectorStoreId, afterId, limit) {
        return db
          .prepare(
            `SELECT chunk_id AS id, embedding FROM file_search_embeddings
             WHERE vector_store_id = ? AND chunk_id > ? ORDER BY chunk_id LIMIT ?`,
          )
          .all(vectorStoreId, afterId, limit) as Array<{ id: number; embedding: Buffer }>;
      },
      chunks: async (ids) => this.chunksById(ids),
    };
  }

  private chunksById(ids: readonly number[]): ChunkRow[] {
    return this.db
      .prepare(
        `SELECT c.id, c.vector_store_id, c.file_id, f.filename, c.chunk_index, c.text
         FROM file_search_chunks c
         JOIN file_search_files f ON f.vector_store_id = c.vector_store_id AND f.file_id = c.file_id
         WHERE c.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(ids)) as ChunkRow[];
  }

  private bumpVersion(vectorStoreId: string): void {
    this.db
      .prepare(
        `INSERT INTO file_search_store_versions (vector_store_id, version) VALUES (?, 1)
         ON CONFLICT (vector_store_id) DO UPDATE SET version = version + 1`,
      )
      .run(vectorStoreId);
  }

  private deleteFileNow(vectorStoreId: string, fileId: string): boolean {
    this.db
      .prepare('DELETE FROM file_search_chunks WHERE vector_store_id = ? AND file_id = ?')
      .run(vectorStoreId, fileId);
    return (
      this.db
        .prepare('DELETE FROM file_search_files WHERE vector_store_id = ? AND file_id = ?')
        .run(vectorStoreId, fileId).changes > 0
    );
  }
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
