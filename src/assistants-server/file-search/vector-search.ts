import type { ChunkHit } from './chunk-index';
import { boundedLimit, hitOf, type ChunkRow } from './chunk-rows';
import { VectorCache, type PackedVectors } from './vector-cache';
import { cosineTopK, fromBlob, unitVector } from './vectors';

/** Vectors are read this many rows at a time, the event loop served in between. */
export const VECTOR_SCAN_BATCH = 2_048;
/** The stores' vectors kept in memory (about 87,000 chunks of 768 dimensions); a larger store is read each time. */
export const DEFAULT_VECTOR_CACHE_BYTES = 256 * 1024 * 1024;

/** What a vector search reads from an engine's tables. */
export interface StoredVectors {
  /** The store's version: bumped by every write to its chunks, in the writer's transaction. */
  version(vectorStoreId: string): Promise<number>;
  count(vectorStoreId: string): Promise<number>;
  /** Up to `limit` of the store's vectors with a chunk id above `afterId`, by chunk id. */
  page(
    vectorStoreId: string,
    afterId: number,
    limit: number,
  ): Promise<Array<{ id: number; embedding: Uint8Array }>>;
  /** The chunks of these ids (those still there). */
  chunks(ids: readonly number[]): Promise<ChunkRow[]>;
}

/**
 * Vector search for both engines (no vector extension is installed on either): each store's vectors compared with
 * the query's, keeping the best `limit` by cosine similarity. From the in-memory cache while the store's version is
 * unchanged (writes by another instance move it too), else read a batch at a time from the database.
 */
export class VectorSearch {
  private readonly cache: VectorCache;

  constructor(
    private readonly stored: StoredVectors,
    cacheBytes = DEFAULT_VECTOR_CACHE_BYTES,
  ) {
    this.cache = new VectorCache(cacheBytes);
  }

  async search(
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
      else await this.scan(vectorStoreId, (id, blob) => best.offer(id, blob));
    }
    const threshold = options.scoreThreshold ?? 0;
    const scored = best.results().filter((result) => result.score > 0 && result.score >= threshold);
    if (scored.length === 0) return [];
    const byId = new Map(
      (await this.stored.chunks(scored.map((result) => result.id))).map((row) => [row.id, row]),
    );
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
    const version = await this.stored.version(vectorStoreId);
    const cached = this.cache.get(vectorStoreId, dimensions, version);
    if (cached) return cached;
    const count = await this.stored.count(vectorStoreId);
    if (count * dimensions * 4 > this.cache.maxBytes) return null;
    const ids = new Float64Array(count);
    const data = new Float32Array(count * dimensions);
    let rows = 0;
    await this.scan(vectorStoreId, (id, blob) => {
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
    this.cache.set(vectorStoreId, packed);
    return packed;
  }

  /** Every stored vector of the store, a batch at a time, the event loop served in between. */
  private async scan(vectorStoreId: string, visit: (id: number, blob: Uint8Array) => void): Promise<void> {
    for (let after = 0; ;) {
      const rows = await this.stored.page(vectorStoreId, after, VECTOR_SCAN_BATCH);
      for (const row of rows) visit(row.id, row.embedding);
      if (rows.length < VECTOR_SCAN_BATCH) return;
      after = rows.at(-1)!.id;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
