import type { Db } from '../store/database';
import type { ChunkHit, ChunkIndex, FileChunks, FileUsage } from './chunk-index';
import { usageOf } from './chunk-rows';
import { MATCH_BUDGET } from './query-terms';
import {
  SearchWorkersUnavailable,
  SqliteSearchWorkers,
  type SearchWorkersOptions,
} from './sqlite-search-workers';
import { chunksById, SqliteTextSearch } from './sqlite-text-search';
import { VectorSearch, type StoredVectors } from './vector-search';
import { toBlob, unitVector } from './vectors';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS file_search_files (
  vector_store_id TEXT NOT NULL,
  file_id TEXT NOT NULL,
  filename TEXT NOT NULL,
  chunk_count INTEGER NOT NULL,
  usage_bytes INTEGER NOT NULL,
  generation INTEGER NOT NULL DEFAULT 0,
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

/** A database made before chunks had generations: every file it holds is of generation 0. */
function addGenerationColumn(db: Db): void {
  const columns = db.prepare('PRAGMA table_info(file_search_files)').all() as Array<{ name: string }>;
  if (!columns.some((column) => column.name === 'generation'))
    db.exec('ALTER TABLE file_search_files ADD COLUMN generation INTEGER NOT NULL DEFAULT 0');
}

export { bm25Score, BM25_HALF, ftsQuery } from './sqlite-text-search';

/**
 * The chunk index on SQLite: its own `file_search_*` tables in the server's database. Text search is FTS5's
 * `bm25()` (`SqliteTextSearch`, in worker threads when asked); vector search is `VectorSearch` over `file_search_embeddings` (no vector extension: the cost grows with
 * the stores' chunks).
 */
export class SqliteChunkIndex implements ChunkIndex {
  readonly searchVectors: ChunkIndex['searchVectors'];

  private readonly textSearch: SqliteTextSearch;
  private readonly searchWorkers: SqliteSearchWorkers | null;

  /**
   * `searchWorkers`: how many worker threads search by words on read-only connections of their own (a database file
   * only; `:memory:` is searched here), with their logger (the server's), waiting bound and module. None: in this
   * thread.
   */
  constructor(
    private readonly db: Db,
    options: {
      vectorCacheBytes?: number;
      matchBudget?: number;
      searchWorkers?: { workers: number } & SearchWorkersOptions;
    } = {},
  ) {
    db.exec(SCHEMA);
    addGenerationColumn(db);
    const matchBudget = options.matchBudget ?? MATCH_BUDGET;
    this.textSearch = new SqliteTextSearch(db, matchBudget);
    const workers = options.searchWorkers;
    this.searchWorkers =
      workers && workers.workers > 0 && !db.memory
        ? new SqliteSearchWorkers(db.name, matchBudget, workers.workers, workers)
        : null;
    const vectors = new VectorSearch(this.storedVectors(), options.vectorCacheBytes);
    this.searchVectors = (storeIds, embedding, search) => vectors.search(storeIds, embedding, search);
  }

  async putFile(file: FileChunks): Promise<FileUsage | null> {
    const usage = usageOf(file.chunks);
    const generation = file.generation ?? 0;
    const insert = this.db.prepare(
      `INSERT INTO file_search_chunks (vector_store_id, file_id, chunk_index, text, tokens) VALUES (?, ?, ?, ?, ?)`,
    );
    const insertEmbedding = this.db.prepare(
      'INSERT INTO file_search_embeddings (chunk_id, vector_store_id, embedding) VALUES (?, ?, ?)',
    );
    const written = this.db.transaction(() => {
      // The write first: another process on the file waits from here, so the generation read is the last written.
      this.bumpVersion(file.vectorStoreId);
      if (this.heldGeneration(file.vectorStoreId, file.fileId) > generation) return false;
      this.deleteFileNow(file.vectorStoreId, file.fileId);
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
          `INSERT INTO file_search_files (vector_store_id, file_id, filename, chunk_count, usage_bytes, generation)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(file.vectorStoreId, file.fileId, file.filename, usage.chunks, usage.usageBytes, generation);
      return true;
    })();
    return written ? usage : null;
  }

  async deleteFile(vectorStoreId: string, fileId: string, upToGeneration = Infinity): Promise<boolean> {
    return this.db.transaction(() => {
      this.bumpVersion(vectorStoreId);
      if (this.heldGeneration(vectorStoreId, fileId) > upToGeneration) return false;
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
    if (this.searchWorkers) {
      try {
        return await this.searchWorkers.search(vectorStoreIds, query, options);
      } catch (error) {
        // No worker could do it (busy past the bound, dead, closed, or the search failed in it): searched here.
        if (!(error instanceof SearchWorkersUnavailable)) throw error;
      }
    }
    return this.textSearch.search(vectorStoreIds, query, options);
  }

  /** The search workers' pool (null: searched in this thread). */
  get searchWorkerStats(): { workers: number; running: number; waiting: number } | null {
    return this.searchWorkers?.stats ?? null;
  }

  /** Ends the search workers, if any (the store's close). */
  close(): Promise<void> {
    return this.searchWorkers?.close() ?? Promise.resolve();
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
      chunks: async (ids) => chunksById(db, ids),
    };
  }

  private bumpVersion(vectorStoreId: string): void {
    this.db
      .prepare(
        `INSERT INTO file_search_store_versions (vector_store_id, version) VALUES (?, 1)
         ON CONFLICT (vector_store_id) DO UPDATE SET version = version + 1`,
      )
      .run(vectorStoreId);
  }

  /** The generation of the file's chunks held (-1: none). */
  private heldGeneration(vectorStoreId: string, fileId: string): number {
    const held = this.db
      .prepare('SELECT generation FROM file_search_files WHERE vector_store_id = ? AND file_id = ?')
      .pluck()
      .get(vectorStoreId, fileId) as number | undefined;
    return held ?? -1;
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
