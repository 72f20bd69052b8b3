import { MAX_CANDIDATES, type ChunkHit, type ChunkToStore, type FileUsage } from './chunk-index';

/** A found chunk as both engines read it, before it is scored. */
export interface ChunkRow {
  id: number;
  vector_store_id: string;
  file_id: string;
  filename: string;
  chunk_index: number;
  text: string;
}

export function boundedLimit(limit: number): number {
  return Math.max(1, Math.min(MAX_CANDIDATES, Math.floor(limit)));
}

export function hitOf(row: ChunkRow, score: number): ChunkHit {
  return {
    vectorStoreId: row.vector_store_id,
    fileId: row.file_id,
    filename: row.filename,
    chunkIndex: row.chunk_index,
    text: row.text,
    score,
  };
}

/** OpenAI's `usage_bytes` of a file's chunks: their UTF-8 text and their embeddings. */
export function usageOf(chunks: readonly ChunkToStore[]): FileUsage {
  let usageBytes = 0;
  for (const chunk of chunks)
    usageBytes += Buffer.byteLength(chunk.text) + (chunk.embedding?.byteLength ?? 0);
  return { chunks: chunks.length, usageBytes };
}

/** Found rows as hits scored by `scoreOf`, best first as found, none under `scoreThreshold` or scoring 0. */
export function scoredHits<Row extends ChunkRow>(
  rows: readonly Row[],
  scoreOf: (row: Row) => number,
  scoreThreshold = 0,
): ChunkHit[] {
  return rows
    .map((row) => hitOf(row, scoreOf(row)))
    .filter((hit) => hit.score >= scoreThreshold && hit.score > 0);
}
