/** Embeddings as stored (little-endian Float32 bytes) and compared (cosine similarity of unit vectors). */

/** The vector scaled to length 1 (a zero vector stays zero): cosine similarity is then a dot product. */
export function unitVector(vector: Float32Array): Float32Array {
  let sum = 0;
  for (let index = 0; index < vector.length; index++) sum += vector[index]! * vector[index]!;
  const norm = Math.sqrt(sum);
  return norm === 0 ? new Float32Array(vector.length) : vector.map((value) => value / norm);
}

export function toBlob(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

/** A blob's floats; copied when SQLite's buffer does not start on a 4-byte boundary (a Float32Array needs one). */
export function fromBlob(blob: Uint8Array): Float32Array {
  const aligned = blob.byteOffset % 4 === 0 ? blob : Uint8Array.from(blob);
  return new Float32Array(aligned.buffer, aligned.byteOffset, Math.floor(aligned.byteLength / 4));
}

/**
 * The `k` best of the vectors offered, by dot product with the unit `query` (stored vectors are unit vectors):
 * memory stays `k` entries whatever is scanned. A vector of another dimension (an older model) is skipped.
 */
export function cosineTopK(query: Float32Array, k: number) {
  const best: Array<{ id: number; score: number }> = [];
  const consider = (id: number, score: number) => {
    if (best.length === k && score <= best[k - 1]!.score) return;
    let at = best.length;
    while (at > 0 && best[at - 1]!.score < score) at--;
    best.splice(at, 0, { id, score });
    if (best.length > k) best.pop();
  };
  return {
    /** One stored blob. */
    offer(id: number, blob: Uint8Array): void {
      if (blob.byteLength !== query.byteLength) return;
      const vector = fromBlob(blob);
      let dot = 0;
      for (let index = 0; index < vector.length; index++) dot += vector[index]! * query[index]!;
      consider(id, dot);
    },
    /** Vectors packed one after another (of the query's dimension). */
    offerPacked(ids: Float64Array, data: Float32Array): void {
      const dimensions = query.length;
      // Four sums of two products at once: independent additions keep the pipeline full (1,000,000 × 256
      // dimensions: 440 → 230 ms of CPU a scan).
      const whole = dimensions - (dimensions % 8);
      for (let row = 0; row < ids.length; row++) {
        const offset = row * dimensions;
        let a = 0;
        let b = 0;
        let c = 0;
        let d = 0;
        let index = 0;
        for (; index < whole; index += 8) {
          const at = offset + index;
          a += data[at]! * query[index]! + data[at + 4]! * query[index + 4]!;
          b += data[at + 1]! * query[index + 1]! + data[at + 5]! * query[index + 5]!;
          c += data[at + 2]! * query[index + 2]! + data[at + 6]! * query[index + 6]!;
          d += data[at + 3]! * query[index + 3]! + data[at + 7]! * query[index + 7]!;
        }
        for (; index < dimensions; index++) a += data[offset + index]! * query[index]!;
        consider(ids[row]!, a + b + c + d);
      }
    },
    results: () => best.map(({ id, score }) => ({ id, score: Math.min(1, Math.max(0, score)) })),
  };
}
