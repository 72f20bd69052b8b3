import { useQueryClient } from '@tanstack/react-query';
import type { Query, QueryClient } from '@tanstack/react-query';
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
  /** The seq the last fresh stream started after (a resumed stream misses nothing since); null before any. */
  let startSeq: number | null = null;
  const feed = connectChangeFeed({
    onChanges: (events) => applyChanges(client, events),
    onFreshStart: (openedAt, seq) => {
      if (downTimer) clearTimeout(downTimer);
      startSeq = seq;
      // Whatever was read before the stream opened may have missed a change made meanwhile.
      const predates = (query: Query) => {
        const answeredAt = feedSeqOf(query.state.data);
        if (answeredAt !== null && seq !== null) return answeredAt < seq;
        return query.state.dataUpdatedAt > 0 && query.state.dataUpdatedAt < openedAt;
      };
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
  const unsubscribeCache = client.getQueryCache().subscribe((event) => {
    if (event.type !== 'updated' || event.action.type !== 'success') return;
    // A poll answered while the feed is down: the server is back, so the feed reconnects now, not after its backoff
    // (up to 15 s after a long outage).
    if (feedState.isDown()) feed.retryNow();
    // An answer read before the stream started, landing after it: changes between the two never reach it.
    const answeredAt = feedSeqOf(event.query.state.data);
    if (startSeq !== null && answeredAt !== null && answeredAt < startSeq)
      void client.invalidateQueries({ queryKey: event.query.queryKey, exact: true });
  });
  // The stream is (back) up, so the server answers: whatever failed to load while it was away is read again now, not
  // at its next poll (many reads poll only while the feed is down, and some never do).
  const unsubscribeFeed = feedState.subscribe(() => {
    if (feedState.get() !== 'live') return;
    void client.refetchQueries({ type: 'active', predicate: (query) => query.state.status === 'error' });
  });
  return () => {
    if (downTimer) clearTimeout(downTimer);
    unsubscribeFeed();
    unsubscribeCache();
    feed.close();
  };
}

/**
 * The change-feed seq an answer of the query API reflects: a runs window's `feedSeq`, or `feed_seq` of counts and of
 * the first page of thread summaries; null for reads that carry none (`/v1`).
 */
export function feedSeqOf(data: unknown): number | null {
  if (typeof data !== 'object' || data === null) return null;
  const record = data as { feedSeq?: unknown; feed_seq?: unknown; pages?: { feed_seq?: unknown }[] };
  const seq = record.feedSeq ?? record.feed_seq ?? record.pages?.[0]?.feed_seq;
  return typeof seq === 'number' ? seq : null;
}
