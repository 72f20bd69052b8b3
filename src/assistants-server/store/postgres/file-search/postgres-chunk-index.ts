import type { ChunkHit, ChunkIndex, FileChunks, FileUsage } from '../../../file-search/chunk-index';
import { boundedLimit, scoredHits, usageOf, type ChunkRow } from '../../../file-search/chunk-rows';
import { MATCH_BUDGET, queryTerms, termsWithinBudget } from '../../../file-search/query-terms';
import { VectorSearch, type StoredVectors } from '../../../file-search/vector-search';
import { toBlob, unitVector } from '../../../file-search/vectors';
import { storableText } from '../copy/storable-text';
import type { SqlClient, SqlQueryable } from '../sql-client';

/**
 * A `ts_rank_cd` of this much scores 0.5: score = rank / (rank + TS_RANK_HALF), absolute as SQLite's bm25 mapping.
 * For an OR of words, each occurrence of any of them is a cover worth 0.1 (unweighted lexemes): a chunk holding the
 * query's words twice in all scores 0.5, six times 0.75. There is no idf: a common word counts as much as a rare one
 * (stop words are left out of queries for that reason too).
 */
export const TS_RANK_HALF = 0.2;
/** Chunks inserted by one statement: a file of 12,500 chunks of 4 KB is 25 statements of 2 MB. */
const INSERT_BATCH = 500;

/**
 * The chunk index on PostgreSQL (migration 4's `file_search_*` tables), the twin of `SqliteChunkIndex`: words by a
 * `tsvector` column with a GIN index, ranked by `ts_rank_cd`; vectors by `VectorSearch` over `bytea` Float32s, its
 * cache kept valid by the stores' versions, which every instance on the database bumps in its writes.
 */
export class PostgresChunkIndex implements ChunkIndex {
  readonly searchVectors: ChunkIndex['searchVectors'];

  private readonly matchBudget: number;

  constructor(
    private readonly db: SqlClient,
    options: { vectorCacheBytes?: number; matchBudget?: number } = {},
  ) {
    this.matchBudget = options.matchBudget ?? MATCH_BUDGET;
    const vectors = new VectorSearch(this.storedVectors(), options.vectorCacheBytes);
    this.searchVectors = (storeIds, embedding, search) => vectors.search(storeIds, embedding, search);
  }

  async putFile(file: FileChunks): Promise<FileUsage | null> {
    const usage = usageOf(file.chunks);
    const generation = file.generation ?? 0;
    const written = await this.db.transaction(async (tx) => {
      // The version row first: writers of one store queue here, so its version orders their commits, and the
      // generation read next is the last one committed (READ COMMITTED: each statement sees what committed before it).
      await bumpVersion(tx, file.vectorStoreId);
      if ((await heldGeneration(tx, file.vectorStoreId, file.fileId)) > generation) return false;
      await deleteFileNow(tx, file.vectorStoreId, file.fileId);
      for (let start = 0; start < file.chunks.length; start += INSERT_BATCH) {
        const batch = file.chunks.slice(start, start + INSERT_BATCH);
        const { rows } = await tx.query<{ id: number; chunk_index: number }>(
          `INSERT INTO file_search_chunks (vector_store_id, file_id, chunk_index, text, tokens)
           SELECT $1, $2, $3 + n - 1, text, tokens FROM unnest($4::text[], $5::int[]) WITH ORDINALITY AS c(text, tokens, n)
           RETURNING id, chunk_index`,
          [
            file.vectorStoreId,
            file.fileId,
            start,
            batch.map((chunk) => storableText(chunk.text).value),
            batch.map((chunk) => chunk.tokens),
          ],
        );
        const embedded = rows.filter((row) => file.chunks[row.chunk_index]!.embedding);
        if (embedded.length === 0) continue;
        await tx.query(
          `INSERT INTO file_search_embeddings (chunk_id, vector_store_id, embedding)
           SELECT id, $1, decode(hex, 'hex') FROM unnest($2::bigint[], $3::text[]) AS e(id, hex)`,
          [
            file.vectorStoreId,
            embedded.map((row) => row.id),
            // Hex text: both drivers pass a text[] alike, where arrays of bytea differ.
            embedded.map((row) =>
              toBlob(unitVector(file.chunks[row.chunk_index]!.embedding!)).toString('hex'),
            ),
          ],
        );
      }
      await tx.query(
        `INSERT INTO file_search_files (vector_store_id, file_id, filename, chunk_count, usage_bytes, generation)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          file.vectorStoreId,
          file.fileId,
          storableText(file.filename).value,
          usage.chunks,
          usage.usageBytes,
          generation,
        ],
      );
      return true;
    });
    return written ? usage : null;
  }

  deleteFile(vectorStoreId: string, fileId: string, upToGeneration = Infinity): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await bumpVersion(tx, vectorStoreId);
      if ((await heldGeneration(tx, vectorStoreId, fileId)) > upToGeneration) return false;
      return deleteFileNow(tx, vectorStoreId, fileId);
    });
  }

  deleteVectorStore(vectorStoreId: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      await bumpVersion(tx, vectorStoreId);
      await tx.query('DELETE FROM file_search_files WHERE vector_store_id = $1', [vectorStoreId]);
      const { rowCount } = await tx.query('DELETE FROM file_search_chunks WHERE vector_store_id = $1', [
        vectorStoreId,
      ]);
      return rowCount;
    });
  }

  async usage(vectorStoreId: string): Promise<{ files: number } & FileUsage> {
    const { rows } = await this.db.query<{ files: number } & FileUsage>(
      `SELECT count(*)::int AS files, coalesce(sum(chunk_count), 0)::int AS chunks,
              coalesce(sum(usage_bytes), 0)::bigint AS "usageBytes"
       FROM file_search_files WHERE vector_store_id = $1`,
      [vectorStoreId],
    );
    return rows[0]!;
  }

  async searchText(
    vectorStoreIds: readonly string[],
    query: string,
    options: { limit: number; scoreThreshold?: number },
  ): Promise<ChunkHit[]> {
    const terms = await this.affordableTerms(queryTerms(query));
    if (terms.length === 0 || vectorStoreIds.length === 0) return [];
    // Words are letters and digits only, quoted: to_tsquery reads no operator of the caller's. The rank is computed
    // for the matches' ids alone; the text is read for the best `limit`.
    const { rows } = await this.db.query<ChunkRow & { rank: number }>(
      `WITH query AS (SELECT to_tsquery('english', $2) AS q),
       best AS (
         SELECT c.id, ts_rank_cd(c.words, query.q) AS rank
         FROM file_search_chunks c, query
         WHERE c.words @@ query.q AND c.vector_store_id = ANY($1::text[])
         ORDER BY rank DESC, c.id LIMIT $3
       )
       SELECT c.id, c.vector_store_id, c.file_id, f.filename, c.chunk_index, c.text, best.rank
       FROM best
       JOIN file_search_chunks c ON c.id = best.id
       JOIN file_search_files f ON f.vector_store_id = c.vector_store_id AND f.file_id = c.file_id
       ORDER BY best.rank DESC, c.id`,
      [
        [...new Set(vectorStoreIds)],
        terms.map((term) => `'${term}'`).join(' | '),
        boundedLimit(options.limit),
      ],
    );
    return scoredHits(rows, (row) => tsRankScore(row.rank), options.scoreThreshold);
  }

  /**
   * The words worth ranking the chunks that hold them (`termsWithinBudget`), by the planner's statistics of the
   * `words` column (ANALYZE, which autovacuum runs as the table grows): the share of chunks holding each of its most
   * common lexemes, and below the least of those for any other. Every word until the table has statistics and more
   * chunks than the budget. Words PostgreSQL drops as stop words are left out here too.
   */
  private async affordableTerms(terms: string[]): Promise<string[]> {
    if (terms.length < 2) return terms;
    const { rows } = await this.db.query<{ term: string; chunks: number }>(
      `WITH stats AS (
         SELECT most_common_elems::text::text[] AS lexemes, most_common_elem_freqs AS freqs
         FROM pg_stats
         WHERE schemaname = current_schema() AND tablename = 'file_search_chunks' AND attname = 'words'
       ),
       size AS (SELECT reltuples AS chunks FROM pg_class WHERE oid = 'file_search_chunks'::regclass)
       SELECT t.term,
              size.chunks * coalesce(
                stats.freqs[array_position(stats.lexemes, lexeme.lexeme)],
                stats.freqs[array_length(stats.lexemes, 1) + 1]
              ) AS chunks
       FROM unnest($1::text[]) AS t(term)
       CROSS JOIN LATERAL unnest(to_tsvector('english', t.term)) AS lexeme
       CROSS JOIN stats CROSS JOIN size
       WHERE size.chunks > $2`,
      [terms, this.matchBudget],
    );
    if (rows.length === 0) return terms;
    return termsWithinBudget(rows, this.matchBudget);
  }

  private storedVectors(): StoredVectors {
    const db = this.db;
    return {
      async version(vectorStoreId) {
        const { rows } = await db.query<{ version: number }>(
          'SELECT version FROM file_search_store_versions WHERE vector_store_id = $1',
          [vectorStoreId],
        );
        return rows[0]?.version ?? 0;
      },
      async count(vectorStoreId) {
        const { rows } = await db.query<{ count: number }>(
          'SELECT count(*)::int AS count FROM file_search_embeddings WHERE vector_store_id = $1',
          [vectorStoreId],
        );
        return rows[0]!.count;
      },
      async page(vectorStoreId, afterId, limit) {
        const { rows } = await db.query<{ id: number; embedding: Uint8Array }>(
          `SELECT chunk_id AS id, embedding FROM file_search_embeddings
           WHERE vector_store_id = $1 AND chunk_id > $2 ORDER BY chunk_id LIMIT $3`,
          [vectorStoreId, afterId, limit],
        );
        return rows;
      },
      async chunks(ids) {
        const { rows } = await db.query<ChunkRow>(
          `SELECT c.id, c.vector_store_id, c.file_id, f.filename, c.chunk_index, c.text
           FROM file_search_chunks c
           JOIN file_search_files f ON f.vector_store_id = c.vector_store_id AND f.file_id = c.file_id
           WHERE c.id = ANY($1::bigint[])`,
          [ids],
        );
        return rows;
      },
    };
  }
}

export function tsRankScore(rank: number): number {
  return rank <= 0 ? 0 : rank / (rank + TS_RANK_HALF);
}

async function bumpVersion(tx: SqlQueryable, vectorStoreId: string): Promise<void> {
  await tx.query(
    `INSERT INTO file_search_store_versions (vector_store_id, version) VALUES ($1, 1)
     ON CONFLICT (vector_store_id) DO UPDATE SET version = file_search_store_versions.version + 1`,
    [vectorStoreId],
  );
}

/** The generation of the file's chunks held (-1: none). */
async function heldGeneration(tx: SqlQueryable, vectorStoreId: string, fileId: string): Promise<number> {
  const { rows } = await tx.query<{ generation: string }>(
    'SELECT generation FROM file_search_files WHERE vector_store_id = $1 AND file_id = $2',
    [vectorStoreId, fileId],
  );
  return rows[0] ? Number(rows[0].generation) : -1;
}

async function deleteFileNow(tx: SqlQueryable, vectorStoreId: string, fileId: string): Promise<boolean> {
  await tx.query('DELETE FROM file_search_chunks WHERE vector_store_id = $1 AND file_id = $2', [
    vectorStoreId,
    fileId,
  ]);
  const { rowCount } = await tx.query(
    'DELETE FROM file_search_files WHERE vector_store_id = $1 AND file_id = $2',
    [vectorStoreId, fileId],
  );
  return rowCount > 0;
}
