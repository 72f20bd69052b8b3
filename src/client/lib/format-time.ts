import type { UnixSeconds } from '../../shared/openai-types';
import { formatDuration } from './format-duration';

/** How the person reads times (the header's clock switch): "3m ago" (the default) or "2026-08-20 14:03:07 GMT+2". */
export type TimeFormat = 'relative' | 'absolute';

const SECOND = 1;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "42s ago", "5m ago", "3h ago", "12d ago"; times ahead of now read "in 5m". */
export function formatRelativeTime(at: UnixSeconds, nowMs: number): string {
  const delta = Math.round(nowMs / 1000 - at);
  const magnitude = Math.abs(delta);
  if (magnitude < 5) return 'just now';
  const text = compactSpan(magnitude);
  return delta >= 0 ? `${text} ago` : `in ${text}`;
}

function compactSpan(seconds: number): string {
  if (seconds < MINUTE) return `${seconds}s`;
  if (seconds < HOUR) return `${Math.floor(seconds / MINUTE)}m`;
  if (seconds < DAY) return `${Math.floor(seconds / HOUR)}h`;
  return `${Math.floor(seconds / DAY)}d`;
}

/** The exact local time, "2026-08-20 14:03:07", for tooltips and the detail timeline. */
export function formatExactTime(at: UnixSeconds): string {
  const date = new Date(at * 1000);
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/** ISO 8601 in UTC, for `<time dateTime>`. */
export function toIsoTime(at: UnixSeconds): string {
  return new Date(at * 1000).toISOString();
}

/** The exact local time with the time zone, "2026-08-20 14:03:07 GMT+2": what "absolute times" show. */
export function formatZonedTime(at: UnixSeconds): string {
  const zone =
    new Intl.DateTimeFormat('en', { timeZoneName: 'short' })
      .formatToParts(new Date(at * 1000))
      .find((part) => part.type === 'timeZoneName')?.value ?? '';
  return `${formatExactTime(at)} ${zone}`.trim();
}

/**
 * A moment as the person chose to read times, the one formatter every time shown goes through: absolute, the exact
 * local time with its zone ("2026-08-20 14:03:07 GMT+2"); relative, "3m ago" / "in 5m", or with `span` the bare
 * distance from now ("5m 53s") for an age or a countdown.
 */
export function formatMoment(
  at: UnixSeconds,
  format: TimeFormat,
  nowMs: number,
  relative: 'ago' | 'span' = 'ago',
): string {
  if (format === 'absolute') return formatZonedTime(at);
  return relative === 'span' ? formatDuration(Math.abs(nowMs / 1000 - at)) : formatRelativeTime(at, nowMs);
}

/** A waiting run's expiry: "Expires in 6m 20s" or "Expires at 2026-08-20 14:03:07 GMT+2"; "Expiring now" once due. */
export function formatExpiry(expiresAt: UnixSeconds, format: TimeFormat, nowMs: number): string {
  if (expiresAt * 1000 <= nowMs) return 'Expiring now';
  return `Expires ${format === 'absolute' ? 'at' : 'in'} ${formatMoment(expiresAt, format, nowMs, 'span')}`;
}
