import { describe, expect, it } from 'vitest';
import { percentile, round, summarize } from './stats';

describe('percentile', () => {
  it('picks the nearest-rank sample', () => {
    const samples = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 95)).toBe(10);
    expect(percentile(samples, 10)).toBe(1);
    expect(percentile(samples, 0)).toBe(1);
  });

  it('has no value without samples', () => {
    expect(percentile([], 50)).toBeNull();
    expect(summarize([])).toMatchObject({ count: 0, p50: null, mean: null, max: null });
  });

  it('summarizes a single sample as itself', () => {
    expect(summarize([12])).toEqual({ count: 1, p50: 12, p95: 12, p99: 12, mean: 12, max: 12 });
  });
});

describe('round', () => {
  it('keeps more digits for small values', () => {
    expect(round(1.2345)).toBe(1.23);
    expect(round(12.345)).toBe(12.3);
    expect(round(123.45)).toBe(123);
  });
});
