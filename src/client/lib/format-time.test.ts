import { describe, expect, it } from 'vitest';
import { formatExactTime, formatRelativeTime } from './format-time';

const now = Date.UTC(2026, 7, 20, 12, 0, 0);
const nowSeconds = now / 1000;

describe('formatRelativeTime', () => {
  it.each([
    [0, 'just now'],
    [4, 'just now'],
    [42, '42s ago'],
    [60, '1m ago'],
    [59 * 60 + 59, '59m ago'],
    [3 * 3600 + 10, '3h ago'],
    [12 * 86400, '12d ago'],
  ])('%i seconds in the past reads %s', (ago, expected) => {
    expect(formatRelativeTime(nowSeconds - ago, now)).toBe(expected);
  });

  it('reads times ahead as "in …"', () => {
    expect(formatRelativeTime(nowSeconds + 300, now)).toBe('in 5m');
  });
});

describe('formatExactTime', () => {
  it('prints the local date and time to the second', () => {
    const at = new Date(2026, 0, 2, 3, 4, 5).getTime() / 1000;
    expect(formatExactTime(at)).toBe('2026-01-02 03:04:05');
  });
});
