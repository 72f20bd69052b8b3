import type { Assistant, Message, Run, RunStep, Thread } from '../../shared/openai-types';

export type ChangeKind = 'created' | 'updated' | 'deleted';

/**
 * One change of the emulator's data, as the store wrote it. Every write of an assistant, thread, run, step or message
 * is published exactly once, after its transaction commits, in commit order; a `deleted` event carries the object as
 * it was last stored. A thread's deletion takes its messages, runs and steps with it: the one `thread` `deleted`
 * event stands for all of them (no event per child). `resync` stands for many changes at once (a bulk seed): readers
 * refetch instead of expecting one event per object.
 */
export type LifecycleEvent =
  | { object: 'assistant'; change: ChangeKind; assistant: Assistant }
  | { object: 'thread'; change: ChangeKind; thread: Thread }
  | { object: 'run'; change: ChangeKind; run: Run }
  | { object: 'step'; change: ChangeKind; step: RunStep }
  | {
      object: 'message';
      change: ChangeKind;
      message: Message;
      /** On an update that grew the text of a message still being written: the text appended (its first part). */
      textDelta?: string;
    }
  | { object: 'resync'; reason: string; threadIds: string[] };

export interface PublishedEvent {
  /** Increases by one per event for the life of the process. */
  seq: number;
  event: LifecycleEvent;
}

export type LifecycleListener = (published: PublishedEvent) => void;

/**
 * The lifecycle's event seam. The stores publish into it; server-sent-event streams of `/v1` (`stream: true`) and
 * Runboard's change feed subscribe to it. Events written inside a transaction are held until the outermost
 * transaction commits and dropped if it rolls back, so a subscriber never sees a change the database does not hold.
 */
export class LifecycleEvents {
  private seq = 0;
  private readonly listeners = new Set<LifecycleListener>();
  /** Events (and after-commit callbacks) written by the transaction in progress, delivered when it commits. */
  private pending: Array<LifecycleEvent | (() => void)> | null = null;

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  /** Returns the unsubscribe function. Listeners run synchronously, in subscription order. */
  subscribe(listener: LifecycleListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** How many listeners are subscribed (a closed stream must leave this where it found it). */
  listenerCount(): number {
    return this.listeners.size;
  }

  /** The seq of the last event published (0 before any). */
  lastSeq(): number {
    return this.seq;
  }

  publish(event: LifecycleEvent): void {
    if (this.pending) this.pending.push(event);
    else this.deliver(event);
  }

  /**
   * Delivers an event already committed, now, whatever a transaction holds: on PostgreSQL every instance's events come
   * this way, read from the change log in its order (`store/postgres/change-log/instance-change-log.ts`).
   */
  deliverCommitted(event: LifecycleEvent): void {
    this.deliver(event);
  }

  /**
   * Calls `callback` once the outermost transaction in progress commits (at once outside one), in order with the
   * events; dropped if it rolls back. What is kept beside the store (the query index) reports its changes this way.
   */
  afterCommit(callback: () => void): void {
    if (this.pending) this.pending.push(callback);
    else this.run(callback);
  }

  /** Runs `work` (a database transaction) and publishes what it wrote once the outermost one has committed. */
  withinTransaction<T>(work: () => T): T {
    if (this.pending) {
      const mark = this.mark();
      try {
        return work();
      } catch (error) {
        this.dropSince(mark);
        throw error;
      }
    }
    this.hold();
    let result: T;
    try {
      result = work();
    } catch (error) {
      this.release(false);
      throw error;
    }
    this.release(true);
    return result;
  }

  /**
   * Starts holding what is published (an asynchronous transaction begins) until `release`: delivered if it committed,
   * dropped if not. One transaction at a time holds (SQLite serializes its transactions); an engine with concurrent
   * transactions keeps each one's events itself and publishes them after its commit.
   */
  hold(): void {
    if (this.pending) throw new Error('Lifecycle events are already held by a transaction in progress');
    this.pending = [];
  }

  /** Where a nested transaction starts in what is held, to drop only its part if it rolls back. */
  mark(): number {
    return this.pending?.length ?? 0;
  }

  dropSince(mark: number): void {
    if (this.pending) this.pending.length = mark;
  }

  release(committed: boolean): void {
    const written = this.pending ?? [];
    this.pending = null;
    if (!committed) return;
    for (const entry of written) {
      if (typeof entry === 'function') this.run(entry);
      else this.deliver(entry);
    }
  }

  private run(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.onListenerError(error);
    }
  }

  private deliver(event: LifecycleEvent): void {
    const published = { seq: ++this.seq, event };
    for (const listener of this.listeners) {
      try {
        listener(published);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}
