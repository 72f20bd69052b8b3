import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../emulation/faults/fault-random';
import { cosineTopK, toBlob, unitVector } from './vectors';

describe('cosineTopK', () => {
  it.each([3, 13, 256, 770])('ranks packed vectors as blobs one by one (%i dimensions)', (dimensions) => {
    const random = mulberry32(dimensions);
    const vectors = Array.from({ length: 50 }, () =>
      unitVector(Float32Array.from({ length: dimensions }, () => random() * 2 - 1)),
    );
    const query = unitVector(Float32Array.from({ length: dimensions }, () => random() * 2 - 1));
    const packed = new Float32Array(vectors.length * dimensions);
    vectors.forEach((vector, row) => packed.set(vector, row * dimensions));
    const ids = Float64Array.from(vectors, (_, row) => row + 1);

    const fromPacked = cosineTopK(query, 10);
    fromPacked.offerPacked(ids, packed);
    const oneByOne = cosineTopK(query, 10);
    vectors.forEach((vector, row) => oneByOne.offer(row + 1, toBlob(vector)));

    const packedResults = fromPacked.results();
    expect(packedResults.map((result) => result.id)).toEqual(oneByOne.results().map((result) => result.id));
    packedResults.forEach((result, at) => expect(result.score).toBeCloseTo(oneByOne.results()[at]!.score, 5));
  });
});
