import { describe, expect, it } from 'vitest';
import { createHarness } from '../test-support/emulator-harness';
import { LifecycleEvents, type PublishedEvent } from './lifecycle-events';

function collect(events: LifecycleEvents): PublishedEvent[] {
  const seen: PublishedEvent[] = [];
  events.subscribe((published) => seen.push(published));
  return seen;
}

describe('LifecycleEvents', () => {
  it('publishes outside a transaction at once, numbered from 1', () => {
    const events = new LifecycleEvents();
    const seen = collect(events);
    events.publish({ object: 'resync', reason: 'test', threadIds: [] });
    expect(seen.map((published) => published.seq)).toEqual([1]);
    expect(events.lastSeq()).toBe(1);
  });

  it('holds events written in a transaction until the outermost one commits', () => {
    const events = new LifecycleEvents();
    const seen = collect(events);
    events.withinTransaction(() => {
      events.publish({ object: 'resync', reason: 'a', threadIds: [] });
      events.withinTransaction(() => events.publish({ object: 'resync', reason: 'b', threadIds: [] }));
      expect(seen).toEqual([]);
    });
    expect(seen.map((published) => published.event)).toMatchObject([{ reason: 'a' }, { reason: 'b' }]);
  });

  it('drops what a rolled-back transaction wrote, and only that', () => {
    const events = new LifecycleEvents();
    const seen = collect(events);
    events.withinTransaction(() => {
      events.publish({ object: 'resync', reason: 'kept', threadIds: [] });
      expect(() =>
        events.withinTransaction(() => {
          events.publish({ object: 'resync', reason: 'dropped', threadIds: [] });
          throw new Error('rollback');
        }),
      ).toThrow('rollback');
    });
    expect(() =>
      events.withinTransaction(() => {
        events.publish({ object: 'resync', reason: 'dropped too', threadIds: [] });
        throw new Error('rollback');
      }),
    ).toThrow('rollback');
    expect(seen.map((published) => published.event)).toMatchObject([{ reason: 'kept' }]);
  });

  it('keeps delivering when a listener throws, and reports the error', () => {
    const errors: unknown[] = [];
    const events = new LifecycleEvents((error) => errors.push(error));
    events.subscribe(() => {
      throw new Error('listener broke');
    });
    const seen = collect(events);
    events.publish({ object: 'resync', reason: 'x', threadIds: [] });
    expect(seen).toHaveLength(1);
    expect(errors).toHaveLength(1);
  });
});

describe('the emulator publishes every change of a run once', () => {
  it('created, then each status of its lifecycle, with the run as the API answers it', async () => {
    const harness = await createHarness();
    const seen = collect(harness.emulator.events);
    const assistant = await harness.client.beta.assistants.create({ model: 'gpt-4o' });
    const thread = await harness.client.beta.threads.create();
    const run = await harness.client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await harness.advance(10);
    const final = await harness.client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id });

    const runEvents = seen.flatMap(({ event }) => (event.object === 'run' ? [event] : []));
    expect(runEvents.map((event) => `${event.change}:${event.run.status}`)).toEqual([
      'created:queued',
      'updated:in_progress',
      'updated:completed',
    ]);
    expect(runEvents.at(-1)?.run).toEqual(final);
    expect(seen.some(({ event }) => event.object === 'thread' && event.thread.id === thread.id)).toBe(true);
    // The reply is written as OpenAI streams it: step, then message, each in_progress first, then their ends.
    const replyWrites = seen.flatMap(({ event }) =>
      event.object === 'step'
        ? [`step ${event.change}:${event.step.status}`]
        : event.object === 'message'
          ? [`message ${event.change}:${event.message.status}:${event.message.content.length}`]
          : event.object === 'run' && event.run.status === 'completed'
            ? ['run completed']
            : [],
    );
    expect(replyWrites).toEqual([
      'step created:in_progress',
      'message created:in_progress:0',
      'message updated:completed:1',
      'step updated:completed',
      'run completed',
    ]);
    expect(seen.map((published) => published.seq)).toEqual(
      seen.map((_, index) => (seen[0]?.seq ?? 0) + index),
    );
    await harness.close();
  });
});
