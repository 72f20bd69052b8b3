import { describe, expect, it } from 'vitest';
import { formatBytes } from './format-bytes';

describe('formatBytes', () => {
  it('says bytes below a kilobyte, with the singular for one', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(999)).toBe('999 bytes');
  });

  it('uses powers of 1,000, one decimal below 10 of a unit', () => {
    expect(formatBytes(1000)).toBe('1 KB');
    expect(formatBytes(4_250)).toBe('4.3 KB');
    expect(formatBytes(12_400_000)).toBe('12 MB');
    expect(formatBytes(512_000_000)).toBe('512 MB');
    expect(formatBytes(1_500_000_000)).toBe('1.5 GB');
    expect(formatBytes(3_000_000_000_000_000)).toBe('3000 TB');
  });
});
