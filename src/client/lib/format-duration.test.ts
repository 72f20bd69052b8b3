import { describe, expect, it } from 'vitest';
import { formatDuration } from './format-duration';

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [0.9, '0s'],
    [45, '45s'],
    [60, '1m 00s'],
    [185, '3m 05s'],
    [2 * 3600 + 4 * 60 + 59, '2h 04m'],
    [3 * 86400 + 4 * 3600, '3d 4h'],
    [-5, '0s'],
  ])('%d seconds reads %s', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});
