import { useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { ApiError } from '../api/api-error';
import { feedState } from '../api/change-feed/feed-state';
import type { FeedDownReason, FeedState } from '../api/change-feed/feed-state';
import { OPEN_LIMIT_MS } from '../api/change-feed/change-feed';
import { cx } from '../ui/cx';
import { DATABASE_UNAVAILABLE } from '../../shared/runboard-types';

type Connection = 'connecting' | 'live' | 'polling' | 'degraded' | 'database' | 'offline';

const PRESENTATION: Record<Connection, { label: string; dot: string; description: string }> = {
  connecting: { label: 'Connecting', dot: 'bg-status-queued', description: 'Waiting for the first answer' },
  live: { label: 'Live', dot: 'bg-status-success', description: 'Updates arrive as runs change' },
  polling: {
    label: 'Polling',
    dot: 'bg-status-warning',
    description: 'The live update stream is down: the dashboard polls until it is back',
  },
  degraded: { label: 'Errors', dot: 'bg-status-warning', description: 'Some requests are failing; retrying' },
  database: {
    label: 'Database down',
    dot: 'bg-status-danger',
    description:
      'The Runboard server answers but its database does not: the last data stays on screen until it is back',
  },
  offline: {
    label: 'Offline',
    dot: 'bg-status-danger',
    description: 'The Runboard server cannot be reached',
  },
};

/** Why polling: the feed never opened (held back whole by a proxy that buffers) or it dropped. */
const POLLING_BECAUSE: Record<FeedDownReason, string> = {
  not_opened:
    `The live update stream did not open within ${OPEN_LIMIT_MS / 1000} s (a proxy in between may be buffering it): ` +
    'the dashboard polls instead, and goes live if the stream opens',
  dropped: PRESENTATION.polling.description,
};

const feedSnapshotOf = () => `${feedState.get()}|${feedState.downReason() ?? ''}`;

function connectionOf(client: QueryClient, feed: FeedState): Connection {
  const watched = client
    .getQueryCache()
    .getAll()
    .filter((query) => query.getObserversCount() > 0);
  if (
    watched.length === 0 ||
    watched.every((query) => query.state.dataUpdatedAt === 0 && !query.state.error)
  ) {
    return 'connecting';
  }
  // A 404 is the server's answer (a thread or run that does not exist, said where it is shown), not a failing request.
  const failing = watched.filter(
    (query) =>
      (query.state.error !== null || query.state.fetchFailureCount > 0) &&
      !(query.state.error instanceof ApiError && query.state.error.status === 404),
  );
  if (failing.length === 0) return feed === 'down' ? 'polling' : 'live';
  const errors = failing
    .map((query) => query.state.error ?? query.state.fetchFailureReason)
    .filter((error) => error instanceof ApiError);
  if (errors.some((error) => error.status === 0)) return 'offline';
  return errors.some((error) => error.code === DATABASE_UNAVAILABLE) ? 'database' : 'degraded';
}

/** Whether live data is flowing, derived from the change feed's state and the query cache (no extra requests). */
export function ConnectionIndicator({ compact = false }: { compact?: boolean }) {
  const client = useQueryClient();
  // The state and why it is down, as one snapshot: a new reason alone re-renders too.
  const feedSnapshot = useSyncExternalStore(feedState.subscribe, feedSnapshotOf, () => 'connecting|');
  const [feed, downReason] = feedSnapshot.split('|') as [FeedState, FeedDownReason | ''];
  const connection = useSyncExternalStore(
    (listener) => client.getQueryCache().subscribe(listener),
    () => connectionOf(client, feed),
    () => 'connecting' as const,
  );
  const { label, dot } = PRESENTATION[connection];
  const reason = connection === 'polling' && downReason ? downReason : null;
  const description = reason ? POLLING_BECAUSE[reason] : PRESENTATION[connection].description;
  return (
    <span
      role="status"
      aria-label={`Connection: ${label}`}
      aria-description={description}
      title={description}
      className={cx(
        'inline-flex items-center gap-1.5 rounded-full border border-line py-0.5 text-xs text-muted',
        compact ? 'px-1.5' : 'px-2',
      )}
    >
      <span
        aria-hidden="true"
        className={cx('size-2 rounded-full', dot, connection === 'live' && 'motion-safe:animate-pulse')}
      />
      <span className={cx(compact && 'sr-only')}>{label}</span>
      {reason === 'not_opened' && (
        <span className={cx('text-faint', compact && 'sr-only')}>· stream held back</span>
      )}
    </span>
  );
}
