/**
 * Whether the change feed is flowing, for the polling fallback (queries poll only while it is down) and the
 * connection indicator. Components subscribe with useSyncExternalStore.
 * - connecting: the first connection is being made (nothing polls yet: it is usually a few ms away)
 * - live: the stream is open; every change arrives through it
 * - down: it failed or dropped; queries poll until it is live again
 */
export type FeedState = 'connecting' | 'live' | 'down';
/**
 * Why the feed is down: `not_opened` when it sent nothing for seconds after being asked (a proxy in between that
 * buffers answers holds a stream back whole); `dropped` when it failed or closed.
 */
export type FeedDownReason = 'not_opened' | 'dropped';

let state: FeedState = 'connecting';
let downReason: FeedDownReason | null = null;
const listeners = new Set<() => void>();

export const feedState = {
  get: (): FeedState => state,
  /** Queries fall back to polling only while this is true. */
  isDown: (): boolean => state === 'down',
  /** Why it is down; null unless it is. */
  downReason: (): FeedDownReason | null => (state === 'down' ? downReason : null),
  set(next: FeedState, reason: FeedDownReason = 'dropped'): void {
    const nextReason = next === 'down' ? reason : null;
    if (next === state && nextReason === downReason) return;
    state = next;
    downReason = nextReason;
    for (const listener of listeners) listener();
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
