import type { UnixSeconds } from '../../shared/openai-types';
import { formatExactTime, formatMoment, toIsoTime } from '../lib/format-time';
import { useNow } from '../hooks/use-now';
import { useTimeFormat } from '../hooks/use-time-format';

/**
 * "3m ago", with the exact local time on hover; or, when the person chose absolute times (the header's clock
 * switch), the exact time with its zone, "2026-08-20 14:03:07 GMT+2".
 */
export function RelativeTime({ at, className }: { at: UnixSeconds; className?: string }) {
  const [format] = useTimeFormat();
  const now = useNow(format === 'absolute' ? 60_000 : 5_000);
  return (
    <time dateTime={toIsoTime(at)} title={formatExactTime(at)} className={className}>
      {formatMoment(at, format, now)}
    </time>
  );
}
