import type { ChangeEvent } from '../../shared/runs-query-types';
import type { IndexChange, RunIndex } from '../run-index/run-index';

export interface FeedSubscriber {
  change(event: ChangeEvent): void;
  /** The server is shutting down: end the stream. */
  close(): void;
}

export interface ChangeFeedOptions {
  /** How many changes are kept for clients that reconnect (by seq). */
  capacity?: number;
  /** The seq before the first change; defaults to the start time in µs, above any earlier process's seqs. */
  startSeq?: number;
}

export const DEFAULT_FEED_CAPACITY = 10_000;

/**
 * Every change the index makes, numbered by one process-wide seq, kept in a bounded buffer so a client that
 * reconnects with `Last-Event-ID` gets exactly the changes it missed, and fanned out to the open streams.
 * Seqs start at the process's start time in microseconds: an id from before a restart is below them, so it is
 * recognised and answered with a reset (a process would need over a thousand changes per millisecond of its life
 * to reach the next one's range).
 */
export class ChangeFeed {
  private readonly capacity: number;
  private readonly startSeq: number;
  private seq: number;
  private readonly ring: (ChangeEvent | undefined)[];
  private readonly subscribers = new Set<FeedSubscriber>();
  private readonly unsubscribeIndex: () => void;

  constructor(index: RunIndex, options: ChangeFeedOptions = {}) {
    this.capacity = options.capacity ?? DEFAULT_FEED_CAPACITY;
    this.startSeq = options.startSeq ?? Date.now() * 1000;
    this.seq = this.startSeq;
    this.ring = new Array(this.capacity);
    this.unsubscribeIndex = index.subscribe((change) => this.publish(change));
  }

  lastSeq(): number {
    return this.seq;
  }

  /**
   * The changes after `seq`, in order; or why they cannot be given: `unknown_event_id` (not a seq of this process:
   * from before a restart, or never issued) or `too_far_behind` (no longer all held).
   */
  since(seq: number): { events: ChangeEvent[] } | { reset: 'unknown_event_id' | 'too_far_behind' } {
    if (!Number.isSafeInteger(seq) || seq < this.startSeq || seq > this.seq)
      return { reset: 'unknown_event_id' };
    if (this.seq - seq > this.capacity) return { reset: 'too_far_behind' };
    const events: ChangeEvent[] = [];
    for (let next = seq + 1; next <= this.seq; next++) events.push(this.ring[next % this.capacity]!);
    return { events };
  }

  subscribe(subscriber: FeedSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  subscriberCount(): number {
    return this.subscribers.size;
  }

  close(): void {
    this.unsubscribeIndex();
    for (const subscriber of [...this.subscribers]) subscriber.close();
    this.subscribers.clear();
  }

  private publish(change: IndexChange): void {
    const event = { ...change, seq: ++this.seq } as ChangeEvent;
    this.ring[event.seq % this.capacity] = event;
    for (const subscriber of this.subscribers) subscriber.change(event);
  }
}
