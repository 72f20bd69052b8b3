import { useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { threadKeys } from '../thread-keys';
import { applyChanges } from './apply-changes';
import { connectChangeFeed } from './change-feed';
import { feedState } from './feed-state';

/** A drop shorter than this is resumed without a gap (Last-Event-ID): polling starts only after it. */
const POLL_AFTER_DOWN_MS = 3_000;

/** Keeps the one change-feed stream of the dashboard open while mounted (the app mounts it once). */
export function useChangeFeed(): void {
  const client = useQueryClient();
  useEffect(() => startChangeFeed(client), [client]);
}

/** Connects the change feed to the cache. Returns the function that stops it. */
export function startChangeFeed(client: QueryClient): () => void {
  let downTimer: ReturnType<typeof setTimeout> | null = null;
  const feed = connectChangeFeed({
    onChanges: (events) => applyChanges(client, events),
    onFreshStart: (openedAt) => {
      if (downTimer) clearTimeout(downTimer);
      // Whatever was read before the stream opened may have missed a change made meanwhile.
      const predates = (query: { state: { dataUpdatedAt: number } }) =>
        query.state.dataUpdatedAt > 0 && query.state.dataUpdatedAt < openedAt;
      void client.invalidateQueries({ queryKey: ['runs'], predicate: predates });
      void client.invalidateQueries({ queryKey: threadKeys.summaries(), predicate: predates });
    },
    onDown: () => {
      if (downTimer) clearTimeout(downTimer);
      downTimer = setTimeout(() => {
        // Read what is shown once; from then on each query polls by the polling policy until the feed is back.
        if (feedState.isDown()) void client.invalidateQueries({ queryKey: ['runs'] });
        if (feedState.isDown()) void client.invalidateQueries({ queryKey: threadKeys.summaries() });
      }, POLL_AFTER_DOWN_MS);
    },
  });
  // A poll answered while the feed is down: the server is back, so the feed reconnects now, not after its backoff
  // (up to 15 s after a long outage).
  const unsubscribeCache = client.getQueryCache().subscribe((event) => {
    if (event.type === 'updated' && event.action.type === 'success' && feedState.isDown()) feed.retryNow();
  });
  return () => {
    if (downTimer) clearTimeout(downTimer);
    unsubscribeCache();
    feed.close();
  };
}
