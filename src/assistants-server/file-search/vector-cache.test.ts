import { describe, expect, it } from 'vitest';
import { VectorCache, type PackedVectors } from './vector-cache';

const packed = (version: number, rows: number, dimensions = 2): PackedVectors => ({
  version,
  dimensions,
  ids: new Float64Array(rows),
  data: new Float32Array(rows * dimensions),
});

describe('VectorCache', () => {
  it('answers an entry only at the version it was read at', () => {
    const cache = new VectorCache(1_000);
    const entry = packed(3, 10);
    cache.set('vs_a', entry);
    expect(cache.get('vs_a', 2, 3)).toBe(entry);
    expect(cache.get('vs_a', 3, 3)).toBeNull();
    expect(cache.get('vs_a', 2, 4)).toBeNull();
    // A stale entry is dropped, not kept beside the new one.
    expect(cache.sizeBytes).toBe(0);
  });

  it('stays within its bytes, the least recently used out first, and keeps nothing larger than itself', () => {
    const cache = new VectorCache(200);
    cache.set('vs_a', packed(1, 10)); // 80 bytes
    cache.set('vs_b', packed(1, 10));
    cache.get('vs_a', 2, 1);
    cache.set('vs_c', packed(1, 10));
    expect(cache.sizeBytes).toBe(160);
    expect(cache.get('vs_b', 2, 1)).toBeNull();
    expect(cache.get('vs_a', 2, 1)).not.toBeNull();
    expect(cache.get('vs_c', 2, 1)).not.toBeNull();
    cache.set('vs_big', packed(1, 26));
    expect(cache.get('vs_big', 2, 1)).toBeNull();
    expect(cache.sizeBytes).toBe(160);
  });
});
