import type { LifecycleEvent, LifecycleEvents } from '../../../events/lifecycle-events';
import type { LifecycleEntry } from './log-entry';

/** How many objects' own events ahead of the reader are remembered (beyond it, the oldest is forgotten). */
export const DEFAULT_MAX_OWN_AHEAD = 10_000;

/**
 * The other instances' lifecycle events into this instance's `store.events`, as the change log delivers them.
 *
 * This instance publishes its own events itself, at once after commit (the store's contract: a write's event is out
 * when the write returns); the reader skips their rows. Every other instance's row is published once, in the log's
 * order. One case is held back: an event of another instance older (a smaller id) than an event of this instance
 * already published for the same object. For one object the log's order is its writes' order (a writer appends
 * after the row lock it waited for), so such an event is stale: it reached this instance after a later write of its
 * own (the reader lags by a few ms), and published now it would move the object back (a run seen `in_progress` after
 * this instance cancelled it; an executor stopping a model call it had just started on a run's `queued` event).
 *
 * What is remembered: for each object, the id of this instance's latest event the reader has not reached yet (once
 * it reads that row, nothing older can follow). At most `maxOwnAhead` objects (the oldest forgotten first: a stale
 * event of a forgotten object is published, as before this check); a reader far behind means the log is unavailable.
 */
export class OtherInstancesEvents {
  private readonly ownAhead = new Map<string, number>();
  /** The id of the last lifecycle row read. */
  private position = 0;

  constructor(
    private readonly instance: string,
    private readonly events: LifecycleEvents,
    private readonly maxOwnAhead = DEFAULT_MAX_OWN_AHEAD,
  ) {}

  /** This instance published `event`, written to the log as row `id`. */
  publishedOwn(event: LifecycleEvent, id: number): void {
    const key = objectKey(event);
    if (key === null || id <= this.position) return;
    this.ownAhead.delete(key);
    this.ownAhead.set(key, id);
    if (this.ownAhead.size > this.maxOwnAhead) this.ownAhead.delete(this.ownAhead.keys().next().value!);
  }

  /** A lifecycle row read from the log (every instance's, in id order). */
  read(entry: LifecycleEntry): void {
    this.position = Math.max(this.position, entry.seq);
    const key = objectKey(entry.event);
    const own = key === null ? undefined : this.ownAhead.get(key);
    if (own !== undefined && own <= entry.seq) this.ownAhead.delete(key!);
    if (entry.instance === this.instance) return;
    if (own !== undefined && own > entry.seq) return;
    this.events.deliverCommitted(entry.event);
  }

  /** How many objects are remembered (tests: the bound). */
  get remembered(): number {
    return this.ownAhead.size;
  }
}

function objectKey(event: LifecycleEvent): string | null {
  switch (event.object) {
    case 'assistant':
      return `assistant:${event.assistant.id}`;
    case 'thread':
      return `thread:${event.thread.id}`;
    case 'run':
      return `run:${event.run.id}`;
    case 'step':
      return `step:${event.step.id}`;
    case 'message':
      return `message:${event.message.id}`;
    case 'resync':
      return null;
  }
}
