import type { RunsTimeseriesQuery } from '../../../shared/runs-query-types';

/** The ranges the runs-over-time chart offers; the server picks the interval that fits each. */
export const TIME_RANGES = [
  { id: '24h', label: '24 h', seconds: 86_400 },
  { id: '7d', label: '7 d', seconds: 7 * 86_400 },
  { id: '30d', label: '30 d', seconds: 30 * 86_400 },
  { id: 'all', label: 'All', seconds: null },
] as const;
export type TimeRangeId = (typeof TIME_RANGES)[number]['id'];

/**
 * The query of a range ending now (backend time, ms). The start is rounded down to the minute, so the range's query
 * (its cache entry) stays the same for a minute rather than changing with every render.
 */
export function rangeQuery(id: TimeRangeId, nowMs: number): RunsTimeseriesQuery {
  const range = TIME_RANGES.find((candidate) => candidate.id === id)!;
  if (range.seconds === null) return {};
  const minute = Math.floor(nowMs / 60_000) * 60;
  return { start: minute - range.seconds };
}

/** A bucket's start as the axis and the table read it: the hour for short intervals, the day for long ones. */
export function formatBucketStart(at: number, interval: number): string {
  const date = new Date(at * 1000);
  const pad = (value: number) => String(value).padStart(2, '0');
  const day = `${date.toLocaleString('en', { month: 'short' })} ${date.getDate()}`;
  return interval >= 86_400 ? day : `${day} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** "1 hour", "15 minutes", "1 day": how long each bar is. */
export function formatInterval(seconds: number): string {
  const [size, unit] =
    seconds % 604_800 === 0
      ? [seconds / 604_800, 'week']
      : seconds % 86_400 === 0
        ? [seconds / 86_400, 'day']
        : seconds % 3_600 === 0
          ? [seconds / 3_600, 'hour']
          : [seconds / 60, 'minute'];
  return `${size} ${unit}${size === 1 ? '' : 's'}`;
}
