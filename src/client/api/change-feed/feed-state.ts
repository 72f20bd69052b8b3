/**
 * Whether the change feed is flowing, for the polling fallback (queries poll only while it is down) and the
 * connection indicator. Components subscribe with useSyncExternalStore.
 * - connecting: the first connection is being made (nothing polls yet: it is usually a few ms away)
 * - live: the stream is open; every change arrives through it
 * - down: it failed or dropped; queries poll until it is live again
 */
export type FeedState = 'connecting' | 'live' | 'down';

let state: FeedState = 'connecting';
const listeners = new Set<() => void>();

export const feedState = {
  get: (): FeedState => state,
  /** Queries fall back to polling only while this is true. */
  isDown: (): boolean => state === 'down',
  set(next: FeedState): void {
    if (next === state) return;
    state = next;
    for (const listener of listeners) listener();
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
