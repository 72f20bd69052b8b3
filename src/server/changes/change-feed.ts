import type { ChangeEvent } from '../../shared/runs-query-types';
import type { FeedReset, FeedSource } from './feed-source';

export type { FeedReset } from './feed-source';

/** One change as it goes on the wire: serialised once, the same bytes shared by every stream and the replay buffer. */
export interface FeedFrame {
  seq: number;
  bytes: Uint8Array;
}

export interface FeedSubscriber {
  change(frame: FeedFrame): void;
  /** The server is shutting down: end the stream. */
  close(): void;
}

export interface ChangeFeedOptions {
  /** At most this many changes are kept for clients that reconnect (by seq). */
  capacity?: number;
  /** And at most this many bytes of them (RUNBOARD_FEED_REPLAY_BYTES); the newest change is always kept. */
  maxReplayBytes?: number;
  /** A stream with more than this many bytes sent and not yet read is dropped (RUNBOARD_FEED_UNREAD_BYTES). */
  maxUnreadBytes?: number;
}

export const DEFAULT_FEED_CAPACITY = 10_000;
export const DEFAULT_FEED_REPLAY_BYTES = 32 * 1024 * 1024;
export const DEFAULT_FEED_UNREAD_BYTES = 4 * 1024 * 1024;

const encoder = new TextEncoder();

/** An SSE frame: its seq as the id, its type as the event, the change as JSON data. */
export function encodeFrame(event: ChangeEvent): Uint8Array {
  return encoder.encode(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

/** What a stream sends after a seq: the held frame that follows it, none yet, or `dropped` (the buffer let it go). */
export type NextFrame = FeedFrame | null | 'dropped';

/**
 * Every change of its source (`feed-source.ts`), kept in a buffer bounded in changes and in bytes so a client that
 * reconnects with `Last-Event-ID` gets exactly the changes it missed, and fanned out to the open streams. Seqs are the
 * source's and may have gaps: a frame is looked up by seq, never by its distance from the oldest. What the buffer
 * dropped is read again from the source's log where it has one (PostgreSQL's change log), else is a `reset`.
 */
export class ChangeFeed {
  readonly maxUnreadBytes: number;
  private readonly capacity: number;
  private readonly maxReplayBytes: number;
  /** Every change with a seq above this (up to `lastSeq()`) is held. */
  private heldAfter: number;
  /** The held frames, oldest first, in a circular buffer: `ring[(head + i) % capacity]` for i < held. */
  private readonly ring: (FeedFrame | undefined)[];
  private head = 0;
  private held = 0;
  private heldBytes = 0;
  private readonly subscribers = new Set<FeedSubscriber>();
  private readonly unsubscribeSource: () => void;
  private readonly unsubscribeTrouble: () => void;

  /** `source` must have started: its `lastSeq()` is where this feed begins. */
  constructor(
    private readonly source: FeedSource,
    options: ChangeFeedOptions = {},
  ) {
    this.capacity = options.capacity ?? DEFAULT_FEED_CAPACITY;
    this.maxReplayBytes = options.maxReplayBytes ?? DEFAULT_FEED_REPLAY_BYTES;
    this.maxUnreadBytes = options.maxUnreadBytes ?? DEFAULT_FEED_UNREAD_BYTES;
    this.heldAfter = source.lastSeq();
    this.ring = new Array(this.capacity);
    this.unsubscribeSource = source.subscribe((event) => this.publish(event));
    // Changes stop while the source cannot be read: end the streams rather than let them look live.
    this.unsubscribeTrouble = source.onUnavailable?.(() => this.endStreams()) ?? (() => {});
  }

  /** Why the feed cannot follow changes now (its database does not answer), or null. */
  unavailable(): unknown {
    return this.source.unavailable?.() ?? null;
  }

  lastSeq(): number {
    return this.source.lastSeq();
  }

  /** What the replay buffer holds: changes and bytes. */
  replayHeld(): { changes: number; bytes: number } {
    return { changes: this.held, bytes: this.heldBytes };
  }

  /**
   * Whether the changes after `seq` can all be given, or why not: `unknown_event_id` (not a seq of this feed: from
   * before a restart, or never issued) or `too_far_behind` (no longer all held, nor in the source's log).
   */
  async check(seq: number): Promise<'ok' | FeedReset> {
    const verdict = await this.source.check(seq);
    if (verdict !== 'ok' || seq >= this.heldAfter || this.source.readAfter) return verdict;
    return 'too_far_behind';
  }

  /** The held frame that follows `seq`; null when none has yet; `dropped` when the buffer no longer holds it. */
  frameAfter(seq: number): NextFrame {
    if (seq < this.heldAfter) return 'dropped';
    let low = 0;
    let high = this.held;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.at(middle).seq <= seq) low = middle + 1;
      else high = middle;
    }
    return low < this.held ? this.at(low) : null;
  }

  /** Whether what the buffer dropped can be read again (`readAfter`). */
  get readsLog(): boolean {
    return this.source.readAfter !== undefined;
  }

  /** The frames after `seq` from the source's log (a bounded page), and the seq the next page starts after. */
  async readAfter(seq: number): Promise<{ frames: FeedFrame[]; upTo: number }> {
    if (!this.source.readAfter) throw new Error('This feed keeps no log to read from');
    const page = await this.source.readAfter(seq);
    return {
      frames: page.changes.map((event) => ({ seq: event.seq, bytes: encodeFrame(event) })),
      upTo: page.upTo,
    };
  }

  subscribe(subscriber: FeedSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  subscriberCount(): number {
    return this.subscribers.size;
  }

  close(): void {
    this.unsubscribeSource();
    this.unsubscribeTrouble();
    this.source.close();
    this.endStreams();
  }

  private endStreams(): void {
    for (const subscriber of [...this.subscribers]) subscriber.close();
    this.subscribers.clear();
  }

  private at(index: number): FeedFrame {
    return this.ring[(this.head + index) % this.capacity]!;
  }

  private publish(event: ChangeEvent): void {
    const frame: FeedFrame = { seq: event.seq, bytes: encodeFrame(event) };
    if (this.held === this.capacity) this.dropOldest();
    this.ring[(this.head + this.held) % this.capacity] = frame;
    this.held += 1;
    this.heldBytes += frame.bytes.byteLength;
    while (this.heldBytes > this.maxReplayBytes && this.held > 1) this.dropOldest();
    for (const subscriber of this.subscribers) subscriber.change(frame);
  }

  private dropOldest(): void {
    const oldest = this.ring[this.head]!;
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.held -= 1;
    this.heldBytes -= oldest.bytes.byteLength;
    this.heldAfter = oldest.seq;
  }
}
