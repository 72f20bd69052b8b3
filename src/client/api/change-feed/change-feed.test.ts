// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChangeEvent } from '../../../shared/runs-query-types';
import { makeRun } from '../../../shared/test-support/run-fixture';
import { accessToken } from '../access-token';
import { connectChangeFeed, OPEN_LIMIT_MS } from './change-feed';
import { feedState } from './feed-state';

const frame = (event: ChangeEvent) =>
  `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
const updated = (seq: number): ChangeEvent => ({
  type: 'run.updated',
  seq,
  run: makeRun({ id: `run_${seq}` }),
});

/** A response whose body streams `chunks`, then ends (the server or the network closing it). */
function streamOf(chunks: string[]): Response {
  const encoder = new TextEncoder();
  return new Response(
    new ReadableStream({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
        controller.close();
      },
    }),
    { headers: { 'content-type': 'text/event-stream' } },
  );
}

/** A stream that has sent its first bytes (as the server does at once) and stays open, silent. */
function openStream(): Response {
  return new Response(
    new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('retry: 1000\n\n'));
      },
    }),
    { status: 200 },
  );
}

/** Handlers for a test that watches only the feed's state. */
const IGNORING = { onChanges: () => {}, onFreshStart: () => {}, onDown: () => {} };

let requests: Record<string, string>[] = [];
let answers: (() => Response)[] = [];

beforeEach(() => {
  vi.useFakeTimers();
  requests = [];
  feedState.set('connecting');
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_path: string, init: RequestInit) => {
      requests.push(init.headers as Record<string, string>);
      const next = answers.shift();
      if (!next) return new Promise<Response>(() => {});
      return next();
    }),
  );
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  accessToken.forget();
});

describe('the change feed connection', () => {
  it('delivers each read as one batch, and resumes after a drop from the last event id', async () => {
    answers = [
      () => streamOf([frame(updated(4)) + frame(updated(5)), ': heartbeat\n\n']),
      () => streamOf([frame(updated(6))]),
    ];
    const batches: number[][] = [];
    const fresh: number[] = [];
    const downs: number[] = [];
    const { close: stop } = connectChangeFeed({
      onChanges: (events) => batches.push(events.map((event) => event.seq)),
      onFreshStart: (at) => fresh.push(at),
      onDown: () => downs.push(Date.now()),
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(batches).toEqual([[4, 5]]);
    expect(requests[0]!['last-event-id']).toBeUndefined();
    expect(fresh).toHaveLength(1);
    expect(feedState.get()).toBe('down');
    expect(downs).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(1_000);
    expect(requests[1]!['last-event-id']).toBe('5');
    expect(batches).toEqual([[4, 5], [6]]);
    // A resumed stream missed nothing: no refetch of what was read before.
    expect(fresh).toHaveLength(1);
    stop();
  });

  it('sends the access token in its header (EventSource could not) and is live while the stream is open', async () => {
    accessToken.save('secret-token');
    answers = [() => openStream()];
    const { close: stop } = connectChangeFeed({
      onChanges: () => {},
      onFreshStart: () => {},
      onDown: () => {},
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(requests[0]!['x-runboard-token']).toBe('secret-token');
    expect(requests[0]!.accept).toBe('text/event-stream');
    expect(feedState.get()).toBe('live');
    stop();
  });

  it('gives up a stream silent for longer than three heartbeats and reconnects', async () => {
    answers = [() => openStream()];
    const { close: stop } = connectChangeFeed({
      onChanges: () => {},
      onFreshStart: () => {},
      onDown: () => {},
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(feedState.get()).toBe('live');
    await vi.advanceTimersByTimeAsync(45_000);
    expect(feedState.get()).toBe('down');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(requests).toHaveLength(2);
    stop();
  });
});

describe('behind a proxy that buffers answers', () => {
  it('treats a feed that has not answered after a few seconds as down, so the dashboard polls, and says why', async () => {
    // No answer at all: the proxy holds the headers back with the body.
    const downs: number[] = [];
    const { close: stop } = connectChangeFeed({
      onChanges: () => {},
      onFreshStart: () => {},
      onDown: () => downs.push(Date.now()),
    });
    await vi.advanceTimersByTimeAsync(OPEN_LIMIT_MS - 10);
    expect(feedState.get()).toBe('connecting');
    await vi.advanceTimersByTimeAsync(20);
    expect(feedState.get()).toBe('down');
    expect(feedState.downReason()).toBe('not_opened');
    expect(downs).toHaveLength(1);
    stop();
  });

  it('is not live on headers alone: only once bytes flow, even when they come after the limit', async () => {
    let send = (_text: string) => {};
    answers = [
      () =>
        new Response(
          new ReadableStream({
            start(controller) {
              send = (text) => controller.enqueue(new TextEncoder().encode(text));
            },
          }),
          { status: 200 },
        ),
    ];
    const { close: stop } = connectChangeFeed(IGNORING);
    await vi.advanceTimersByTimeAsync(10);
    expect(feedState.get()).toBe('connecting');
    await vi.advanceTimersByTimeAsync(OPEN_LIMIT_MS);
    expect(feedState.downReason()).toBe('not_opened');
    send('retry: 1000\n\nid: 7\n\n');
    await vi.advanceTimersByTimeAsync(10);
    expect(feedState.get()).toBe('live');
    expect(feedState.downReason()).toBeNull();
    stop();
  });
});

describe('when the server answers again', () => {
  const refused = () => {
    throw new TypeError('Failed to fetch');
  };

  it('reconnects at once on retryNow instead of waiting out a long backoff', async () => {
    answers = [refused, refused, refused, refused, refused];
    const feed = connectChangeFeed({ onChanges: () => {}, onFreshStart: () => {}, onDown: () => {} });
    // Five refusals: 1 + 2 + 4 + 8 s of backoff between them, then a 15 s wait.
    await vi.advanceTimersByTimeAsync(15_010);
    expect(requests).toHaveLength(5);
    answers = [() => openStream()];
    await vi.advanceTimersByTimeAsync(5_000);
    expect(requests).toHaveLength(5);
    feed.retryNow();
    await vi.advanceTimersByTimeAsync(10);
    expect(requests).toHaveLength(6);
    expect(feedState.get()).toBe('live');
    feed.close();
  });

  it('leaves a server without the feed (404) alone: retryNow does not ask again', async () => {
    answers = [() => new Response('Not found', { status: 404 })];
    const feed = connectChangeFeed({ onChanges: () => {}, onFreshStart: () => {}, onDown: () => {} });
    await vi.advanceTimersByTimeAsync(10);
    expect(requests).toHaveLength(1);
    feed.retryNow();
    await vi.advanceTimersByTimeAsync(10);
    expect(requests).toHaveLength(1);
    feed.close();
  });
});

describe('when the browser goes offline', () => {
  it('drops the open stream (it may be dead without a word) and opens it again from the last event id', async () => {
    answers = [
      () => {
        const encoder = new TextEncoder();
        return new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(encoder.encode('id: 12\n\n'));
            },
          }),
        );
      },
    ];
    const { close: stop } = connectChangeFeed({
      onChanges: () => {},
      onFreshStart: () => {},
      onDown: () => {},
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(feedState.get()).toBe('live');
    window.dispatchEvent(new Event('offline'));
    await vi.advanceTimersByTimeAsync(10);
    expect(feedState.get()).toBe('down');
    window.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(10);
    expect(requests).toHaveLength(2);
    expect(requests[1]!['last-event-id']).toBe('12');
    stop();
  });
});
