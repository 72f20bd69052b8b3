// @vitest-environment jsdom
import { QueryObserver } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Run } from '../../shared/openai-types';
import { makeRun } from '../../shared/test-support/run-fixture';
import { createQueryClient } from '../app/query-client';
import { IDLE_POLL_MS } from '../lib/polling-policy';
import { runKeys, runQueries } from './run-queries';

const THREAD = 'thread_idle';
const runs: Run[] = Array.from({ length: 30 }, (_, index) =>
  makeRun({ id: `run_${String(30 - index).padStart(2, '0')}`, thread_id: THREAD, status: 'completed' }),
);

let requests: string[] = [];

beforeEach(() => {
  vi.useFakeTimers();
  requests = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string) => {
      const url = new URL(input, 'http://runboard.test');
      requests.push(`${url.pathname}?limit=${url.searchParams.get('limit')}`);
      const limit = Number(url.searchParams.get('limit'));
      const data = runs.slice(0, limit);
      return new Response(
        JSON.stringify({
          object: 'list',
          data,
          first_id: data[0]?.id,
          last_id: data.at(-1)?.id,
          has_more: false,
        }),
      );
    }),
  );
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('polling an open, idle thread', () => {
  it('costs one request per idle interval: the sidebar and inbox read its recent runs from the window', async () => {
    const client = createQueryClient();
    const stop = [runQueries.window(THREAD), runQueries.recent(THREAD)].map((options) =>
      new QueryObserver(client, options as never).subscribe(() => {}),
    );
    // Both load at once on first sight (the window has nothing to hand over yet); from then on only the window polls.
    await vi.advanceTimersByTimeAsync(1);
    requests = [];
    await vi.advanceTimersByTimeAsync(60_000);
    expect(requests).toEqual(
      Array.from({ length: 60_000 / IDLE_POLL_MS }, () => `/v1/threads/${THREAD}/runs?limit=100`),
    );
    expect(client.getQueryData<Run[]>(runKeys.recent(THREAD))?.map((run) => run.id)).toEqual(
      runs.slice(0, 20).map((run) => run.id),
    );
    for (const unsubscribe of stop) unsubscribe();
  });

  it('fetches the recent runs itself for a thread that is not open', async () => {
    const client = createQueryClient();
    const unsubscribe = new QueryObserver(client, runQueries.recent(THREAD)).subscribe(() => {});
    await vi.advanceTimersByTimeAsync(1);
    expect(requests).toEqual([`/v1/threads/${THREAD}/runs?limit=20`]);
    unsubscribe();
  });
});
