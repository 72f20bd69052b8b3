import type { UnixSeconds } from '../../shared/openai-types';
import { formatExactTime, formatRelativeTime, toIsoTime } from '../lib/format-time';
import { useNow } from '../hooks/use-now';

/** "3m ago", with the exact local time on hover. */
export function RelativeTime({ at, className }: { at: UnixSeconds; className?: string }) {
  const now = useNow(5_000);
  const exact = formatExactTime(at);
  return (
    <time dateTime={toIsoTime(at)} title={exact} className={className}>
      {formatRelativeTime(at, now)}
    </time>
  );
}
