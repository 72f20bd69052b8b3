import type { ChangeEvent } from '../../shared/runs-query-types';
import type { InstanceChangeLog } from '../../assistants-server/store/postgres/change-log/instance-change-log';
import type { RunIndex } from '../run-index/run-index';

export type FeedReset = 'unknown_event_id' | 'too_far_behind';

/**
 * Where the change feed's changes come from, numbered: each change once, its seq above the last one's (seqs may have
 * gaps). On SQLite, the run index of this process, numbered here; on PostgreSQL, the change log every instance reads,
 * numbered by the database, so an id is the same on every instance.
 */
export interface FeedSource {
  subscribe(listener: (event: ChangeEvent) => void): () => void;
  /** Every change with a seq ≤ this has been delivered (or will never exist). */
  lastSeq(): number;
  /** Whether every change after `seq` can still be given: `ok`, or why not. */
  check(seq: number): Promise<'ok' | FeedReset>;
  /**
   * The changes after `seq`, a bounded page, from a log that keeps more than the feed's replay buffer; `upTo` is where
   * the next page starts. Absent: what the replay buffer dropped is gone (a client that far behind is told `reset`).
   */
  readAfter?(seq: number): Promise<{ changes: ChangeEvent[]; upTo: number }>;
  /**
   * Why changes cannot be read now (the database does not answer), or null. Absent: always readable (in process).
   * While set, the feed ends its streams and refuses new ones: a browser polls, and shows why its data is stale.
   */
  unavailable?(): unknown;
  /** Called when reading starts failing. */
  onUnavailable?(listener: (error: unknown) => void): () => void;
  close(): void;
}

/**
 * The run index's changes, numbered by one process-wide seq that starts at the process's start time in microseconds:
 * an id from before a restart is below it, so it is recognised and answered with a reset (a process would need over
 * a thousand changes per millisecond of its life to reach the next one's range).
 */
export function indexFeedSource(index: RunIndex, startSeq = Date.now() * 1000): FeedSource {
  let seq = startSeq;
  const listeners = new Set<(event: ChangeEvent) => void>();
  const unsubscribe = index.subscribe((change) => {
    const event = { ...change, seq: ++seq } as ChangeEvent;
    for (const listener of listeners) listener(event);
  });
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    lastSeq: () => seq,
    check: (asked) =>
      Promise.resolve(
        Number.isSafeInteger(asked) && asked >= startSeq && asked <= seq ? 'ok' : 'unknown_event_id',
      ),
    close: () => {
      unsubscribe();
      listeners.clear();
    },
  };
}

/** The change log's feed rows, as this instance reads them (PostgreSQL). */
export function logFeedSource(log: InstanceChangeLog): FeedSource {
  const unsubscribes = new Set<() => void>();
  return {
    subscribe(listener) {
      const unsubscribe = log.subscribeFeed(listener);
      unsubscribes.add(unsubscribe);
      return () => {
        unsubscribes.delete(unsubscribe);
        unsubscribe();
      };
    },
    lastSeq: () => log.lastId(),
    check: (seq) => log.checkResume(seq),
    readAfter: (seq) => log.readFeedAfter(seq),
    unavailable: () => log.unavailable(),
    onUnavailable: (listener) => log.onUnavailable(listener),
    close: () => {
      for (const unsubscribe of unsubscribes) unsubscribe();
      unsubscribes.clear();
    },
  };
}
