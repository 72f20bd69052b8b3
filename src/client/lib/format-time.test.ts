import { describe, expect, it } from 'vitest';
import {
  formatExactTime,
  formatExpiry,
  formatMoment,
  formatRelativeTime,
  formatZonedTime,
} from './format-time';

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

describe('formatMoment: every time shown, as the person chose to read times', () => {
  const at = nowSeconds - 353;
  it('relative: "5m ago", or the bare span for an age', () => {
    expect(formatMoment(at, 'relative', now)).toBe('5m ago');
    expect(formatMoment(at, 'relative', now, 'span')).toBe('5m 53s');
  });

  it('absolute: the exact local time with its zone, whatever the relative style', () => {
    expect(formatMoment(at, 'absolute', now)).toBe(formatZonedTime(at));
    expect(formatMoment(at, 'absolute', now, 'span')).toBe(formatZonedTime(at));
    expect(formatZonedTime(at)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+/);
  });
});

describe('formatExpiry', () => {
  it('counts down, or names the moment, then says it is due', () => {
    expect(formatExpiry(nowSeconds + 380, 'relative', now)).toBe('Expires in 6m 20s');
    expect(formatExpiry(nowSeconds + 380, 'absolute', now)).toBe(
      `Expires at ${formatZonedTime(nowSeconds + 380)}`,
    );
    expect(formatExpiry(nowSeconds, 'relative', now)).toBe('Expiring now');
  });
});
