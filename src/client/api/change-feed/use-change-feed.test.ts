// @vitest-environment jsdom
import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { feedState } from './feed-state';
import { feedSeqOf, startChangeFeed } from './use-change-feed';

/** A change stream that starts after seq 100 and stays open. */
function openStream(): Response {
  const encoder = new TextEncoder();
  return new Response(
    new ReadableStream({
      start(controller) {
        controller.enqueue(encoder.encode('retry: 2000\n\nid: 100\n\n'));
      },
    }),
    { headers: { 'content-type': 'text/event-stream' } },
  );
}

beforeEach(() => {
  vi.useFakeTimers();
  feedState.set('connecting');
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => openStream()),
  );
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('the change feed and the answers read around its start', () => {
  it('reads again an answer read before the stream started that lands after it (its changes would never come)', async () => {
    const client = new QueryClient();
    const answers = [90, 105];
    const queryFn = vi.fn(
      () =>
        new Promise<{ feed_seq: number }>((resolve) => {
          const feed_seq = answers.shift()!;
          setTimeout(() => resolve({ feed_seq }), 50);
        }),
    );
    const observer = new QueryObserver(client, { queryKey: ['runs', 'thread_1', 'counts', {}], queryFn });
    const unsubscribe = observer.subscribe(() => {});
    const stop = startChangeFeed(client);
    await vi.advanceTimersByTimeAsync(10);
    expect(feedState.get()).toBe('live');
    await vi.advanceTimersByTimeAsync(200);
    expect(queryFn).toHaveBeenCalledTimes(2);
    expect(feedSeqOf(observer.getCurrentResult().data)).toBe(105);
    unsubscribe();
    stop();
  });

  it('leaves an answer read after the stream started alone', async () => {
    const client = new QueryClient();
    const queryFn = vi.fn(async () => ({ feed_seq: 100 }));
    const stop = startChangeFeed(client);
    await vi.advanceTimersByTimeAsync(10);
    const observer = new QueryObserver(client, { queryKey: ['runs', 'thread_1', 'counts', {}], queryFn });
    const unsubscribe = observer.subscribe(() => {});
    await vi.advanceTimersByTimeAsync(200);
    expect(queryFn).toHaveBeenCalledTimes(1);
    unsubscribe();
    stop();
  });
});

describe('when the stream comes up', () => {
  it('reads again at once what failed to load while the server was away', async () => {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    let fail = true;
    const queryFn = vi.fn(async () => {
      if (fail) throw new Error('Cannot reach the Runboard server');
      return { object: 'list' };
    });
    const observer = new QueryObserver(client, { queryKey: ['threads', 'summaries', ''], queryFn });
    const unsubscribe = observer.subscribe(() => {});
    await vi.advanceTimersByTimeAsync(0);
    expect(observer.getCurrentResult().status).toBe('error');
    fail = false;
    const stop = startChangeFeed(client);
    await vi.advanceTimersByTimeAsync(10);
    expect(feedState.get()).toBe('live');
    expect(queryFn).toHaveBeenCalledTimes(2);
    expect(observer.getCurrentResult().status).toBe('success');
    unsubscribe();
    stop();
  });
});

describe('feedSeqOf', () => {
  it('reads the seq of a runs window, of counts and of the first page of thread summaries', () => {
    expect(feedSeqOf({ feedSeq: 7 })).toBe(7);
    expect(feedSeqOf({ feed_seq: 8 })).toBe(8);
    expect(feedSeqOf({ pages: [{ feed_seq: 9 }] })).toBe(9);
    expect(feedSeqOf({ run: {} })).toBeNull();
    expect(feedSeqOf(undefined)).toBeNull();
  });
});
