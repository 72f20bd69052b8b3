// @vitest-environment jsdom
import { QueryObserver } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Run } from '../../shared/openai-types';
import type { RunCounts, RunsPage } from '../../shared/runs-query-types';
import { makeRun } from '../../shared/test-support/run-fixture';
import { createQueryClient } from '../app/query-client';
import { IDLE_POLL_MS } from '../lib/polling-policy';
import { feedState } from './change-feed/feed-state';
import { runKeys } from './run-keys';
import { runQueries } from './run-queries';
import type { RunsWindow } from './runs-window';

const THREAD = 'thread_idle';
const COMPLETE = { complete: true, threads: 1, loading_threads: 0, refreshed_at: null };
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
      requests.push(`${url.pathname}${url.search}`);
      if (url.pathname === '/api/runs/counts') {
        const counts: RunCounts = {
          by_status: { completed: 30 } as RunCounts['by_status'],
          total: 30,
          coverage: COMPLETE,
        };
        return new Response(JSON.stringify(counts));
      }
      const limit = Number(url.searchParams.get('limit'));
      const page: RunsPage = {
        object: 'list',
        data: runs.slice(0, limit),
        next_cursor: null,
        has_more: false,
        total: runs.length,
        coverage: COMPLETE,
      };
      return new Response(JSON.stringify(page));
    }),
  );
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  feedState.set('connecting');
});

function watch(client: ReturnType<typeof createQueryClient>) {
  const options = [
    runQueries.list({ threadId: THREAD }),
    runQueries.counts({ threadId: THREAD }),
    runQueries.list({ statuses: ['requires_action'] }),
  ];
  const stops = options.map((each) => new QueryObserver(client, each as never).subscribe(() => {}));
  return () => stops.forEach((stop) => stop());
}

describe('what an open, idle dashboard asks the server', () => {
  it('asks the query API with the filter, sort and page size', async () => {
    const client = createQueryClient();
    const stop = new QueryObserver(
      client,
      runQueries.list({
        threadId: THREAD,
        statuses: ['failed', 'expired'],
        q: ' run_01 ',
        sort: { field: 'tokens', desc: true },
      }),
    ).subscribe(() => {});
    await vi.advanceTimersByTimeAsync(1);
    expect(requests).toEqual([
      `/api/runs?thread_id=${THREAD}&status=expired%2Cfailed&q=run_01&sort=tokens.desc&limit=100`,
    ]);
    stop();
  });

  it('with the change feed live: one read per query, then nothing, however long it stays open', async () => {
    feedState.set('live');
    const client = createQueryClient();
    const stop = watch(client);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests).toHaveLength(3);
    requests = [];
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(requests).toEqual([]);
    expect(client.getQueryData<RunsWindow>(runKeys.list({ threadId: THREAD }))?.total).toBe(30);
    stop();
  });

  it('with the feed down: the lists and counts poll at the idle rate until it is back', async () => {
    feedState.set('down');
    const client = createQueryClient();
    const stop = watch(client);
    await vi.advanceTimersByTimeAsync(1);
    requests = [];
    await vi.advanceTimersByTimeAsync(60_000);
    expect(requests).toHaveLength((60_000 / IDLE_POLL_MS) * 3);
    stop();
  });
});
