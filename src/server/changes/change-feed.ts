import type { ChangeEvent } from '../../shared/runs-query-types';
import type { RunIndex } from '../run-index/run-index';

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
  /** The seq before the first change; defaults to the start time in µs, above any earlier process's seqs. */
  startSeq?: number;
}

export const DEFAULT_FEED_CAPACITY = 10_000;
export const DEFAULT_FEED_REPLAY_BYTES = 32 * 1024 * 1024;
export const DEFAULT_FEED_UNREAD_BYTES = 4 * 1024 * 1024;

export type FeedReset = 'unknown_event_id' | 'too_far_behind';

const encoder = new TextEncoder();

/** An SSE frame: its seq as the id, its type as the event, the change as JSON data. */
export function encodeFrame(event: ChangeEvent): Uint8Array {
  return encoder.encode(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

/**
 * Every change the index makes, numbered by one process-wide seq, kept in a buffer bounded in changes and in bytes so
 * a client that reconnects with `Last-Event-ID` gets exactly the changes it missed, and fanned out to the open
 * streams. Seqs start at the process's start time in microseconds: an id from before a restart is below them, so it
 * is recognised and answered with a reset (a process would need over a thousand changes per millisecond of its life
 * to reach the next one's range).
 */
export class ChangeFeed {
  readonly maxUnreadBytes: number;
  private readonly capacity: number;
  private readonly maxReplayBytes: number;
  private readonly startSeq: number;
  private seq: number;
  /** The held frames, oldest first, in a circular buffer: `ring[(head + i) % capacity]` for i < held. */
  private readonly ring: (FeedFrame | undefined)[];
  private head = 0;
  private held = 0;
  private heldBytes = 0;
  private readonly subscribers = new Set<FeedSubscriber>();
  private readonly unsubscribeIndex: () => void;

  constructor(index: Pick<RunIndex, 'subscribe'>, options: ChangeFeedOptions = {}) {
    this.capacity = options.capacity ?? DEFAULT_FEED_CAPACITY;
    this.maxReplayBytes = options.maxReplayBytes ?? DEFAULT_FEED_REPLAY_BYTES;
    this.maxUnreadBytes = options.maxUnreadBytes ?? DEFAULT_FEED_UNREAD_BYTES;
    this.startSeq = options.startSeq ?? Date.now() * 1000;
    this.seq = this.startSeq;
    this.ring = new Array(this.capacity);
    this.unsubscribeIndex = index.subscribe((change) =>
      this.publish({ ...change, seq: ++this.seq } as ChangeEvent),
    );
  }

  lastSeq(): number {
    return this.seq;
  }

  /** What the replay buffer holds: changes and bytes. */
  replayHeld(): { changes: number; bytes: number } {
    return { changes: this.held, bytes: this.heldBytes };
  }

  /**
   * Whether the changes after `seq` can all be given, or why not: `unknown_event_id` (not a seq of this process: from
   * before a restart, or never issued) or `too_far_behind` (no longer all held).
   */
  check(seq: number): 'ok' | FeedReset {
    if (!Number.isSafeInteger(seq) || seq < this.startSeq || seq > this.seq) return 'unknown_event_id';
    return seq >= this.oldestHeldSeq() - 1 ? 'ok' : 'too_far_behind';
  }

  /** The held frame of the change numbered `seq`, if the buffer still holds it. */
  frame(seq: number): FeedFrame | undefined {
    if (seq < this.oldestHeldSeq() || seq > this.seq) return undefined;
    return this.ring[(this.head + (seq - this.oldestHeldSeq())) % this.capacity];
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

  private oldestHeldSeq(): number {
    return this.seq - this.held + 1;
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
  }
}
