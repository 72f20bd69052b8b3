import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '../../shared/openai-types';
import type { AssistantsStore } from '../store/assistants-store';
import { GrowingMessage } from './growing-message';

/** A store whose message writes fail from the `failFrom`-th on (a full disk, a closed database). */
function failingStore(failFrom: number) {
  const updates: string[] = [];
  const tables = {
    steps: { insert: async () => undefined },
    messages: {
      insert: async () => undefined,
      appendText: async (message: Message, delta: string) => {
        if (updates.length + 1 >= failFrom) throw new Error('SQLITE_FULL: database or disk is full');
        updates.push(delta);
      },
    },
  };
  const store = {
    ...tables,
    transaction: async <T>(work: (tx: typeof tables) => Promise<T>) => work(tables),
  };
  return { store: store as unknown as AssistantsStore, updates };
}

const RUN = { id: 'run_1', thread_id: 'thread_1', assistant_id: 'asst_1' };

/** A message grown on `store`, flushed every 5 ms, its failures recorded by a mock. */
function growingOn({ store, updates }: ReturnType<typeof failingStore>) {
  const onFailure = vi.fn();
  const message = new GrowingMessage(store, RUN, {
    seconds: () => 0,
    flushMs: 5,
    stillWanted: () => true,
    holdsRun: () => Promise.resolve(true),
    onFailure,
  });
  return { message, onFailure, updates };
}

afterEach(() => vi.useRealTimers());

describe('GrowingMessage', () => {
  it('a timed write that throws is reported once, not thrown from the timer; nothing more is written', async () => {
    vi.useFakeTimers();
    const { message, onFailure, updates } = growingOn(failingStore(2));
    message.append('First words');
    message.append(' then more');
    await vi.advanceTimersByTimeAsync(30);
    expect(updates).toEqual(['First words']);
    expect(onFailure).toHaveBeenCalledTimes(1);
    expect(onFailure.mock.calls[0]![0]).toMatchObject({ message: expect.stringContaining('SQLITE_FULL') });
    message.append(' and more');
    await vi.advanceTimersByTimeAsync(30);
    expect(onFailure).toHaveBeenCalledTimes(1);
    // The executor's last flush sees the failure, and fails the run with it.
    await expect(message.flush()).rejects.toThrow('SQLITE_FULL');
    message.dispose();
  });

  it('a first write that throws is reported the same way, not thrown into the stream reader', async () => {
    const { message, onFailure } = growingOn(failingStore(1));
    expect(() => message.append('First words')).not.toThrow();
    await vi.waitFor(() => expect(onFailure).toHaveBeenCalledTimes(1));
    await expect(message.flush()).rejects.toThrow('SQLITE_FULL');
  });
});
