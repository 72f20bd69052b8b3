import type { Run } from '../../../../shared/openai-types';
import { formatDuration } from '../../../lib/format-duration';
import { formatExactTime, formatExpiry } from '../../../lib/format-time';
import { useNow } from '../../../hooks/use-now';
import { useTimeFormat } from '../../../hooks/use-time-format';
import { cx } from '../../../ui/cx';

/** Time left before a waiting run expires (or, with absolute times chosen, when); red in its last minute. */
export function ExpiryCountdown({ run }: { run: Pick<Run, 'expires_at'> }) {
  const now = useNow(1_000);
  const [format] = useTimeFormat();
  if (run.expires_at === null) return null;
  const left = Math.max(0, run.expires_at - now / 1000);
  return (
    <span
      role="timer"
      aria-label={`Expires in ${formatDuration(left)}`}
      title={`Expires at ${formatExactTime(run.expires_at)}`}
      className={cx(
        'inline-flex items-center gap-1 rounded px-1.5 py-px text-xs font-medium tabular-nums',
        left < 60 ? 'bg-status-danger-soft text-status-danger' : 'bg-status-action-soft text-status-action',
      )}
    >
      {formatExpiry(run.expires_at, format, now)}
    </span>
  );
}
