/**
 * Where a vector store's chunks are kept and searched: the seam between the file-search engine and a database.
 * `sqlite-chunk-index.ts` implements it on SQLite (FTS5 with bm25(), vectors as Float32 blobs),
 * `store/postgres/file-search/postgres-chunk-index.ts` on PostgreSQL (a `tsvector` column with a GIN index and
 * `ts_rank_cd`, normalised to 0–1 the same way; a `bytea` of Float32). Both run one test suite
 * (`test-support/chunk-index-contract.ts`). Every method is async; none keeps state outside its database (but a
 * cache checked against it), so several server instances can share one.
 */

/** One chunk of a file as indexed. */
export interface ChunkToStore {
  text: string;
  tokens: number;
  /** The chunk's embedding, when a model is configured; null otherwise (the chunk is found by its words only). */
  embedding: Float32Array | null;
}

/** A chunk a search found, with a score from 0 (weakest) to 1. */
export interface ChunkHit {
  vectorStoreId: string;
  fileId: string;
  filename: string;
  chunkIndex: number;
  text: string;
  score: number;
}

export interface FileUsage {
  chunks: number;
  /** The bytes the file takes in the index (its chunks' UTF-8 text and embeddings): OpenAI's `usage_bytes`. */
  usageBytes: number;
}

/** The most hits one search returns (a ranking asks each list for a few times `max_num_results`, at most 50). */
export const MAX_CANDIDATES = 200;

/** A file's chunks for one vector store. */
export interface FileChunks {
  vectorStoreId: string;
  fileId: string;
  filename: string;
  chunks: readonly ChunkToStore[];
  /**
   * Which processing of the file these chunks come from: the vector store file row's `seq`, which grows each time the
   * file is put in the store again. Chunks of a generation older than those held are not written (another instance,
   * or a retry, processed the file since). None: 0.
   */
  generation?: number;
}

export interface ChunkIndex {
  /**
   * Replaces what the store holds of the file with these chunks, in one transaction, unless it holds the file's
   * chunks of a newer `generation`: then nothing is written and the answer is null. Writers of one store queue in
   * the transaction, so the check and the write are one step: whatever order two generations arrive in, the newer
   * one's chunks are kept, each once.
   */
  putFile(file: FileChunks): Promise<FileUsage | null>;
  /**
   * Forgets one file of one store; false when it held nothing of it. `upToGeneration`: only chunks of that
   * generation or an older one (a processing that ended cleans up without taking a newer one's chunks).
   */
  deleteFile(vectorStoreId: string, fileId: string, upToGeneration?: number): Promise<boolean>;
  /** Forgets every file of a store; answers how many chunks went. */
  deleteVectorStore(vectorStoreId: string): Promise<number>;
  /** What a store holds: files, chunks and bytes in all. */
  usage(vectorStoreId: string): Promise<{ files: number } & FileUsage>;
  /**
   * Chunks whose words match the query's (any of them), best first, at most `limit` (≤ `MAX_CANDIDATES`);
   * `score` is the engine's text rank mapped to 0–1, hits under `scoreThreshold` left out.
   */
  searchText(
    vectorStoreIds: readonly string[],
    query: string,
    options: { limit: number; scoreThreshold?: number },
  ): Promise<ChunkHit[]>;
  /**
   * Chunks nearest the query's embedding by cosine similarity (negative similarity scores 0), best first;
   * chunks without an embedding, or of another dimension, are not candidates.
   */
  searchVectors(
    vectorStoreIds: readonly string[],
    embedding: Float32Array,
    options: { limit: number; scoreThreshold?: number },
  ): Promise<ChunkHit[]>;
}
