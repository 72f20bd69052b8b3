import type { Db } from '../store/database';
import {
  MAX_CANDIDATES,
  type ChunkHit,
  type ChunkIndex,
  type ChunkToStore,
  type FileUsage,
} from './chunk-index';
import { VectorCache, type PackedVectors } from './vector-cache';
import { cosineTopK, fromBlob, toBlob, unitVector } from './vectors';

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
/** Query words beyond this many are ignored (a pasted page as a query stays one cheap search). */
export const MAX_QUERY_TERMS = 64;
/** Vectors are read this many rows at a time, the event loop served in between. */
const VECTOR_SCAN_BATCH = 2_048;
/** The stores' vectors kept in memory (about 87,000 chunks of 768 dimensions); a larger store is read each time. */
export const DEFAULT_VECTOR_CACHE_BYTES = 256 * 1024 * 1024;

interface HitRow {
  id: number;
  vector_store_id: string;
  file_id: string;
  filename: string;
  chunk_index: number;
  text: string;
  rank: number;
}

/**
 * The chunk index on SQLite: its own `file_search_*` tables in the server's database. Text search is FTS5's
 * `bm25()`; vector search compares the query with each vector of the stores (no vector extension: the cost grows
 * with their chunks), from the in-memory cache while the store's version is unchanged, else read from the database
 * a batch at a time, keeping the best `limit` by cosine similarity.
 */
export class SqliteChunkIndex implements ChunkIndex {
  private readonly vectorCache: VectorCache;

  constructor(
    private readonly db: Db,
    options: { vectorCacheBytes?: number } = {},
  ) {
    db.exec(SCHEMA);
    this.vectorCache = new VectorCache(options.vectorCacheBytes ?? DEFAULT_VECTOR_CACHE_BYTES);
  }

  async putFile(file: {
    vectorStoreId: string;
    fileId: string;
    filename: string;
    chunks: readonly ChunkToStore[];
  }): Promise<FileUsage> {
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
    const match = ftsQuery(query);
    if (match === null || vectorStoreIds.length === 0) return [];
    const rows = this.db
      .prepare(
        `SELECT c.id, c.vector_store_id, c.file_id, f.filename, c.chunk_index, c.text,
                bm25(file_search_chunks_fts) AS rank
         FROM file_search_chunks_fts
         JOIN file_search_chunks c ON c.id = file_search_chunks_fts.rowid
         JOIN file_search_files f ON f.vector_store_id = c.vector_store_id AND f.file_id = c.file_id
         WHERE file_search_chunks_fts MATCH ? AND c.vector_store_id IN (SELECT value FROM json_each(?))
         ORDER BY rank LIMIT ?`,
      )
      .all(match, JSON.stringify(vectorStoreIds), boundedLimit(options.limit)) as HitRow[];
    const threshold = options.scoreThreshold ?? 0;
    return rows
      .map((row) => hitOf(row, bm25Score(-row.rank)))
      .filter((hit) => hit.score >= threshold && hit.score > 0);
  }

  async searchVectors(
    vectorStoreIds: readonly string[],
    embedding: Float32Array,
    options: { limit: number; scoreThreshold?: number },
  ): Promise<ChunkHit[]> {
    if (vectorStoreIds.length === 0) return [];
    const query = unitVector(embedding);
    const best = cosineTopK(query, boundedLimit(options.limit));
    for (const vectorStoreId of new Set(vectorStoreIds)) {
      const packed = await this.packedVectors(vectorStoreId, query.length);
      if (packed) best.offerPacked(packed.ids, packed.data);
      else await this.scanVectors(vectorStoreId, (id, blob) => best.offer(id, blob));
    }
    const threshold = options.scoreThreshold ?? 0;
    const scored = best.results().filter((result) => result.score > 0 && result.score >= threshold);
    if (scored.length === 0) return [];
    const rows = this.db
      .prepare(
        `SELECT c.id, c.vector_store_id, c.file_id, f.filename, c.chunk_index, c.text, 0 AS rank
         FROM file_search_chunks c
         JOIN file_search_files f ON f.vector_store_id = c.vector_store_id AND f.file_id = c.file_id
         WHERE c.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(scored.map((result) => result.id))) as HitRow[];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return scored.flatMap(({ id, score }) => {
      const row = byId.get(id);
      return row ? [hitOf(row, score)] : [];
    });
  }

  /**
   * The store's vectors of this dimension from the cache, read into it when its version moved on; null when they
   * would not fit in it (the caller scans them from the database instead).
   */
  private async packedVectors(vectorStoreId: string, dimensions: number): Promise<PackedVectors | null> {
    const version = this.versionOf(vectorStoreId);
    const cached = this.vectorCache.get(vectorStoreId, dimensions, version);
    if (cached) return cached;
    const { count } = this.db
      .prepare('SELECT count(*) AS count FROM file_search_embeddings WHERE vector_store_id = ?')
      .get(vectorStoreId) as { count: number };
    if (count * dimensions * 4 > this.vectorCache.maxBytes) return null;
    const ids = new Float64Array(count);
    const data = new Float32Array(count * dimensions);
    let rows = 0;
    await this.scanVectors(vectorStoreId, (id, blob) => {
      // Rows written after the count (another instance) wait for the next version.
      if (blob.byteLength !== dimensions * 4 || rows === count) return;
      ids[rows] = id;
      data.set(fromBlob(blob), rows * dimensions);
      rows++;
    });
    const packed = {
      version,
      dimensions,
      ids: ids.subarray(0, rows),
      data: data.subarray(0, rows * dimensions),
    };
    this.vectorCache.set(vectorStoreId, packed);
    return packed;
  }

  /** Every stored vector of the store, a batch at a time, the event loop served in between. */
  private async scanVectors(vectorStoreId: string, visit: (id: number, blob: Buffer) => void): Promise<void> {
    const page = this.db.prepare(
      `SELECT chunk_id AS id, embedding FROM file_search_embeddings
       WHERE vector_store_id = ? AND chunk_id > ? ORDER BY chunk_id LIMIT ?`,
    );
    for (let after = 0; ;) {
      const rows = page.all(vectorStoreId, after, VECTOR_SCAN_BATCH) as Array<{
        id: number;
        embedding: Buffer;
      }>;
      for (const row of rows) visit(row.id, row.embedding);
      if (rows.length < VECTOR_SCAN_BATCH) return;
      after = rows.at(-1)!.id;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private versionOf(vectorStoreId: string): number {
    const row = this.db
      .prepare('SELECT version FROM file_search_store_versions WHERE vector_store_id = ?')
      .get(vectorStoreId) as { version: number } | undefined;
    return row?.version ?? 0;
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
 * English words too common to tell chunks apart. Left out of a query that has other words: bm25 gives them almost
 * no weight anyway, but each one makes FTS5 read and rank nearly every chunk.
 */
const STOP_WORDS = new Set(
  (
    'a an and are as at be but by can could did do does for from had has have how i if in into is it its me my of ' +
    'on or our she should so than that the their them then there these they this to was we were what when where ' +
    'which who whom why will with would you your'
  ).split(' '),
);

/**
 * The query's words as an FTS5 expression: each word quoted (FTS5's operators and syntax in a query are plain
 * words), any of them matching (`OR`), stop words left out unless there is nothing else; bm25 ranks chunks with
 * more and rarer words first. Null when the query has no word.
 */
export function ftsQuery(query: string): string | null {
  const words = new Set<string>();
  for (const [word] of query.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    words.add(word);
    if (words.size === MAX_QUERY_TERMS) break;
  }
  const telling = [...words].filter((word) => !STOP_WORDS.has(word));
  const terms = telling.length > 0 ? telling : [...words];
  return terms.length === 0 ? null : terms.map((word) => `"${word}"`).join(' OR ');
}

export function bm25Score(bm25: number): number {
  return bm25 <= 0 ? 0 : bm25 / (bm25 + BM25_HALF);
}

function boundedLimit(limit: number): number {
  return Math.max(1, Math.min(MAX_CANDIDATES, Math.floor(limit)));
}

function hitOf(row: HitRow, score: number): ChunkHit {
  return {
    vectorStoreId: row.vector_store_id,
    fileId: row.file_id,
    filename: row.filename,
    chunkIndex: row.chunk_index,
    text: row.text,
    score,
  };
}

function usageOf(chunks: readonly ChunkToStore[]): FileUsage {
  let usageBytes = 0;
  for (const chunk of chunks)
    usageBytes += Buffer.byteLength(chunk.text) + (chunk.embedding?.byteLength ?? 0);
  return { chunks: chunks.length, usageBytes };
}
