import { describe, expect, it } from 'vitest';
import type { Run } from '../../../../shared/openai-types';
import { LifecycleEvents, type LifecycleEvent } from '../../../events/lifecycle-events';
import { LIFECYCLE_CHANGE_TYPE } from './append-change';
import type { LifecycleEntry } from './log-entry';
import { OtherInstancesEvents } from './other-instances-events';

function runEvent(id: string, status: Run['status']): LifecycleEvent {
  return { object: 'run', change: 'updated', run: { id, status } as Run };
}

function row(seq: number, instance: string, event: LifecycleEvent): LifecycleEntry {
  return { type: LIFECYCLE_CHANGE_TYPE, seq, instance, event };
}

function relay(maxOwnAhead?: number) {
  const events = new LifecycleEvents();
  const seen: string[] = [];
  events.subscribe(({ event }) => {
    if (event.object === 'run') seen.push(`${event.run.id} ${event.run.status}`);
    else seen.push(event.object);
  });
  return { others: new OtherInstancesEvents('me', events, maxOwnAhead), seen };
}

describe('the other instances’ events, as the change log delivers them', () => {
  it('publishes every other instance’s row once, in the log’s order, and none of this instance’s own', () => {
    const { others, seen } = relay();
    others.read(row(1, 'a', runEvent('run_1', 'queued')));
    others.read(row(2, 'me', runEvent('run_2', 'queued')));
    others.read(row(3, 'b', runEvent('run_1', 'in_progress')));
    others.read(row(4, 'a', { object: 'resync', reason: 'seed', threadIds: [] }));
    expect(seen).toEqual(['run_1 queued', 'run_1 in_progress', 'resync']);
  });

  it('holds back another instance’s event older than one this instance published for the same object', () => {
    const { others, seen } = relay();
    // This instance cancelled run_1 (row 7) before its reader reached A's earlier rows for it (5) and another run (6).
    others.publishedOwn(runEvent('run_1', 'cancelling'), 7);
    others.read(row(5, 'a', runEvent('run_1', 'in_progress')));
    others.read(row(6, 'a', runEvent('run_2', 'in_progress')));
    others.read(row(7, 'me', runEvent('run_1', 'cancelling')));
    // Once its own row is read, later rows for the object are published again.
    others.read(row(8, 'a', runEvent('run_1', 'cancelled')));
    expect(seen).toEqual(['run_2 in_progress', 'run_1 cancelled']);
    expect(others.remembered).toBe(0);
  });

  it('remembers nothing the reader already passed, and at most its bound of objects (the oldest forgotten)', () => {
    const { others, seen } = relay(2);
    others.read(row(10, 'a', runEvent('run_0', 'queued')));
    others.publishedOwn(runEvent('run_0', 'cancelling'), 9); // already read past: nothing can be older
    expect(others.remembered).toBe(0);
    others.publishedOwn(runEvent('run_1', 'cancelling'), 21);
    others.publishedOwn(runEvent('run_2', 'cancelling'), 22);
    others.publishedOwn(runEvent('run_3', 'cancelling'), 23);
    expect(others.remembered).toBe(2);
    // run_1 was forgotten: its stale row is published, as it was before the check; run_2's is held back.
    others.read(row(14, 'a', runEvent('run_1', 'in_progress')));
    others.read(row(15, 'a', runEvent('run_2', 'in_progress')));
    expect(seen).toEqual(['run_0 queued', 'run_1 in_progress']);
  });
});
