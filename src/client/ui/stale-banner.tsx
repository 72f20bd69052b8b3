import { toBackendTime } from '../lib/backend-clock';
import { formatRelativeTime } from '../lib/format-time';
import { useNow } from '../hooks/use-now';
import { Button } from './button';

/** A background refresh failed: the last data stays on screen, with its age and the reason. */
export function StaleBanner({
  what,
  updatedAt,
  error,
  onRetry,
}: {
  what: string;
  updatedAt: number;
  error: Error;
  onRetry: () => void;
}) {
  const now = useNow(1_000);
  return (
    <div
      role="alert"
      className="flex items-center gap-3 border-b border-status-warning/30 bg-status-warning-soft px-3 py-1.5 text-xs"
    >
      <span aria-hidden="true" className="text-status-warning">
        ⚠
      </span>
      <span className="min-w-0 flex-1 truncate">
        Showing {what} from {formatRelativeTime(toBackendTime(updatedAt) / 1000, now)}: refreshing failed (
        {error.message})
      </span>
      <Button size="sm" variant="secondary" onClick={onRetry}>
        Retry now
      </Button>
    </div>
  );
}
