import { afterEach, describe, expect, it } from 'vitest';
import type { Thread } from '../../shared/openai-types';
import type { LifecycleEvent } from '../events/lifecycle-events';
import type { AssistantsStore } from './assistants-store';
import { openSqliteStore } from './sqlite-assistants-store';

let store: AssistantsStore;
afterEach(() => store.close());

const thread = (id: string): Thread => ({
  id,
  object: 'thread',
  created_at: 1_000,
  tool_resources: {},
  metadata: {},
});

/** A promise and the function that settles it: a transaction held open until the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Lets every pending callback and promise run (a transaction waiting for the lock would have started by then). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('asynchronous transactions on SQLite (one connection)', () => {
  it('never interleave: a second transaction and a read wait for the first, and see nothing it rolled back', async () => {
    store = openSqliteStore(':memory:');
    const published: LifecycleEvent[] = [];
    store.events.subscribe(({ event }) => published.push(event));
    const held = gate();
    const steps: string[] = [];

    const first = store.transaction(async (tx) => {
      await tx.threads.insert(thread('thread_uncommitted'));
      steps.push('first wrote');
      await held.opened;
      throw new Error('the first transaction fails after its write');
    });
    const second = store.transaction(async (tx) => {
      steps.push('second started');
      const seen = await tx.threads.get('thread_uncommitted');
      await tx.threads.insert(thread('thread_second'));
      return seen;
    });
    const outsideRead = store.threads.get('thread_uncommitted').then((found) => {
      steps.push('read answered');
      return found;
    });

    await settle();
    // The first is open (its write not committed): the second has not begun, the read has not answered.
    expect(steps).toEqual(['first wrote']);
    expect(published).toEqual([]);

    held.open();
    await expect(first).rejects.toThrow('the first transaction fails');
    expect(await second).toBeNull();
    expect(await outsideRead).toBeNull();
    expect(steps).toEqual(['first wrote', 'second started', 'read answered']);
    expect(await store.threads.get('thread_second')).toMatchObject({ id: 'thread_second' });
    // Only what committed was published, once.
    expect(published.map((event) => (event.object === 'thread' ? event.thread.id : event.object))).toEqual([
      'thread_second',
    ]);
  });

  it('publish a transaction’s events once it commits, in order, and run its after-commit callbacks with them', async () => {
    store = openSqliteStore(':memory:');
    const seen: string[] = [];
    store.events.subscribe(({ event }) =>
      seen.push(event.object === 'thread' ? event.thread.id : event.object),
    );
    await store.transaction(async (tx) => {
      await tx.threads.insert(thread('thread_a'));
      tx.afterCommit(() => seen.push('after commit'));
      await tx.threads.insert(thread('thread_b'));
      expect(seen).toEqual([]);
    });
    expect(seen).toEqual(['thread_a', 'after commit', 'thread_b']);
  });

  it('join the transaction in progress when called in its course, and roll back only their own part', async () => {
    store = openSqliteStore(':memory:');
    await store.transaction(async (tx) => {
      await tx.threads.insert(thread('thread_outer'));
      await expect(
        store.transaction(async (inner) => {
          await inner.threads.insert(thread('thread_inner'));
          throw new Error('the nested part fails');
        }),
      ).rejects.toThrow('the nested part fails');
      // A call on the store itself, made in the course of the transaction, reads its uncommitted write.
      expect(await store.threads.get('thread_outer')).not.toBeNull();
    });
    expect(await store.threads.get('thread_outer')).not.toBeNull();
    expect(await store.threads.get('thread_inner')).toBeNull();
  });

  it('refuse a table call on a transaction that has ended (work that outlived it)', async () => {
    store = openSqliteStore(':memory:');
    let kept: Parameters<Parameters<AssistantsStore['transaction']>[0]>[0] | null = null;
    await store.transaction(async (tx) => {
      kept = tx;
    });
    await expect(kept!.threads.get('thread_a')).rejects.toThrow('This transaction has already ended');
  });
});
