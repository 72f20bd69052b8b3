import { describe, expect, it } from 'vitest';
import { makeRun } from '../../shared/test-support/run-fixture';
import { LifecycleEvents } from '../events/lifecycle-events';
import { eventOutline, readSse } from '../test-support/sse-reader';
import { newRunScope } from '../test-support/run-stream-scope';
import { RunStreams } from './run-streams';

const scope = newRunScope();

const run = (status: 'queued' | 'in_progress' | 'completed') =>
  makeRun({ id: 'run_1', thread_id: 'thread_1', status });

describe('RunStreams while the write that starts a stream runs', () => {
  it('holds what is published meanwhile and streams it once the run is known', async () => {
    const events = new LifecycleEvents();
    const streams = new RunStreams(events, 3);
    const response = await streams.start(async () => {
      events.publish({ object: 'run', change: 'created', run: run('queued') });
      events.publish({ object: 'resync', reason: 'another thread', threadIds: ['thread_2'] });
      events.publish({ object: 'run', change: 'updated', run: run('in_progress') });
      return scope;
    });
    events.publish({ object: 'run', change: 'updated', run: run('completed') });
    expect(eventOutline(await readSse(response).ended)).toEqual([
      'thread.run.created',
      'thread.run.queued',
      'thread.run.in_progress',
      'thread.run.completed',
      'done',
    ]);
    expect(events.listenerCount()).toBe(0);
  });

  it('holds at most its bound: past it the stream fails at once with an error event instead of holding more', async () => {
    const events = new LifecycleEvents();
    const streams = new RunStreams(events, 3);
    const response = await streams.start(async () => {
      events.publish({ object: 'run', change: 'created', run: run('queued') });
      for (let i = 0; i < 10; i += 1)
        events.publish({ object: 'resync', reason: `busy ${i}`, threadIds: [`thread_${i}`] });
      return scope;
    });
    const frames = await readSse(response).ended;
    expect(eventOutline(frames)).toEqual(['error', 'done']);
    expect(frames[0]!.data).toMatchObject({ message: expect.stringContaining('fell behind') });
    expect(events.listenerCount()).toBe(0);
    expect(streams.size).toBe(0);
  });
});
