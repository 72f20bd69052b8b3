import { describe, expect, it } from 'vitest';
import { formatTokens, formatTokensCompact } from './format-tokens';

describe('formatTokens', () => {
  it('groups thousands', () => {
    expect(formatTokens(0)).toBe('0');
    expect(formatTokens(1234567)).toBe('1,234,567');
  });
});

describe('formatTokensCompact', () => {
  it.each([
    [950, '950'],
    [1000, '1k'],
    [1234, '1.2k'],
    [12_345, '12k'],
    [4_100_000, '4.1M'],
    [2_000_000, '2M'],
  ])('%i reads %s', (count, expected) => {
    expect(formatTokensCompact(count)).toBe(expected);
  });
});
