import type { VectorStore } from '../../../shared/openai-types';
import { useNow } from '../../hooks/use-now';
import { useTimeFormat } from '../../hooks/use-time-format';
import { formatExpiry, formatMoment } from '../../lib/format-time';

/**
 * When a store expires, through the app's one time formatter: "Expires in 6d 23h" (or at the zoned time), "Expired
 * 2d ago", "Never expires"; the policy (days after last active) beside it.
 */
export function StoreExpiry({ store }: { store: VectorStore }) {
  const [format] = useTimeFormat();
  const now = useNow(60_000);
  const policy = store.expires_after ? ` (${store.expires_after.days} d after last active)` : '';
  if (store.expires_at == null) return <span>Never expires</span>;
  if (store.status === 'expired' || store.expires_at * 1000 <= now)
    return (
      <span>
        Expired {format === 'absolute' && 'at '}
        {formatMoment(store.expires_at, format, now)}
      </span>
    );
  return (
    <span>
      {formatExpiry(store.expires_at, format, now)}
      {policy}
    </span>
  );
}
