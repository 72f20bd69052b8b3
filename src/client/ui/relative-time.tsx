import type { UnixSeconds } from '../../shared/openai-types';
import { formatExactTime, formatMoment, toIsoTime } from '../lib/format-time';
import { useNow } from '../hooks/use-now';
import { useTimeFormat } from '../hooks/use-time-format';

/**
 * "3m ago", with the exact local time on hover; or, when the person chose absolute times (the header's clock
 * switch), the exact time with its zone, "2026-08-20 14:03:07 GMT+2", which breaks only between the date and the
 * time (two lines at most in a narrow table cell, whose row keeps its height).
 */
export function RelativeTime({ at, className }: { at: UnixSeconds; className?: string }) {
  const [format] = useTimeFormat();
  const now = useNow(format === 'absolute' ? 60_000 : 5_000);
  const text = formatMoment(at, format, now);
  const cut = format === 'absolute' ? text.indexOf(' ') : -1;
  return (
    <time dateTime={toIsoTime(at)} title={formatExactTime(at)} className={className}>
      {cut < 0 ? (
        text
      ) : (
        <>
          <span className="whitespace-nowrap">{text.slice(0, cut)}</span>{' '}
          <span className="whitespace-nowrap">{text.slice(cut + 1)}</span>
        </>
      )}
    </time>
  );
}
