// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Run } from '../../../shared/openai-types';
import type { RunCounts, RunsPage } from '../../../shared/runs-query-types';
import { runKeys } from '../../api/run-keys';
import { RunsView } from './runs-view';
import { makeRun } from '../../../shared/test-support/run-fixture';

const THREAD = 'thread_test1';

function run(id: string): Run {
  return makeRun({
    id,
    thread_id: THREAD,
    status: 'completed',
    created_at: 1_700_000_000,
    started_at: 1_700_000_001,
    completed_at: 1_700_000_003,
    expires_at: null,
    usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
  });
}

const COMPLETE = { complete: true, threads: 1, loading_threads: 0, refreshed_at: null };
const pageOf = (runs: Run[]): RunsPage => ({
  object: 'list',
  data: runs,
  next_cursor: null,
  has_more: false,
  total: runs.length,
  coverage: COMPLETE,
});
const countsOf = (runs: Run[]): RunCounts => {
  const byStatus = { completed: 0, failed: 0, requires_action: 0 } as RunCounts['by_status'];
  for (const each of runs) byStatus[each.status] = (byStatus[each.status] ?? 0) + 1;
  return { by_status: byStatus, total: runs.length, coverage: COMPLETE };
};
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const notFound = json(404, {
  error: {
    message: `No thread found with id '${THREAD}'.`,
    type: 'invalid_request_error',
    param: null,
    code: null,
  },
});

function renderView(client: QueryClient) {
  return render(
    <QueryClientProvider client={client}>
      <RunsView />
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  window.history.replaceState(null, '', `/?thread=${THREAD}`);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('RunsView', () => {
  it("shows the API's message and a retry when the runs cannot be loaded", async () => {
    const fetchMock = vi.fn(async (url: string) => {
      if (url.startsWith('/v1/assistants'))
        return json(200, { object: 'list', data: [], first_id: null, last_id: null, has_more: false });
      // The thread exists; its runs cannot be read.
      if (url.startsWith(`/v1/threads/${THREAD}`))
        return json(200, { id: THREAD, object: 'thread', created_at: 1, metadata: {}, tool_resources: {} });
      return notFound.clone();
    });
    vi.stubGlobal('fetch', fetchMock);
    renderView(new QueryClient({ defaultOptions: { queries: { retry: false } } }));

    expect(await screen.findByText('Cannot load the runs of this thread')).toBeTruthy();
    expect(screen.getByText(`No thread found with id '${THREAD}'.`)).toBeTruthy();
    const runsCalls = () => fetchMock.mock.calls.filter(([url]) => url.startsWith('/api/runs?')).length;
    const before = runsCalls();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await vi.waitFor(() => expect(runsCalls()).toBe(before + 1));
  });

  it('says a thread that does not exist does not exist, with nothing to start a run in it', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        if (url.startsWith('/v1/threads/')) return notFound.clone();
        if (url.startsWith('/v1/assistants'))
          return json(200, { object: 'list', data: [], first_id: null, last_id: null, has_more: false });
        if (url.startsWith('/api/runs/counts')) return json(200, countsOf([]));
        return json(200, pageOf([]));
      }),
    );
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <RunsView renderThreadActions={() => <button type="button">Start run</button>} />
      </QueryClientProvider>,
    );
    expect(await screen.findByText('This thread does not exist')).toBeTruthy();
    expect(screen.queryByText('No runs in this thread yet')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Start run' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Go to all threads' })).toBeTruthy();
  });

  it('keeps the last runs on screen with their age and a banner when a refresh fails', async () => {
    let failing = false;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        if (url.startsWith('/v1/assistants'))
          return json(200, { object: 'list', data: [], first_id: null, last_id: null, has_more: false });
        if (failing)
          return json(503, {
            error: { message: 'Upstream is down.', type: 'server_error', param: null, code: null },
          });
        if (url.startsWith('/api/runs/counts')) return json(200, countsOf([run('run_a')]));
        return json(200, pageOf([run('run_a')]));
      }),
    );
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    renderView(client);
    expect(await screen.findByText('1 run loaded')).toBeTruthy();

    failing = true;
    await client.refetchQueries({ queryKey: runKeys.list({ threadId: THREAD }) });
    const banner = await screen.findByRole('alert');
    expect(banner.textContent).toMatch(/Showing runs from .+: refreshing failed \(Upstream is down\.\)/);
    expect(screen.getByText('1 run loaded')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Retry now' })).toBeTruthy();
  });

  it('with no thread picked, shows the home view across threads: waiting runs first, then every run', async () => {
    window.history.replaceState(null, '', '/');
    const waiting = makeRun({ id: 'run_wait', thread_id: 'thread_one', status: 'requires_action' });
    const failed = makeRun({ id: 'run_fail', thread_id: 'thread_two', status: 'failed', created_at: 1 });
    const requested: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        requested.push(url);
        if (url.startsWith('/v1/assistants'))
          return json(200, { object: 'list', data: [], first_id: null, last_id: null, has_more: false });
        const params = new URL(url, 'http://runboard.test').searchParams;
        const statuses = params.get('status')?.split(',');
        const runs = [waiting, failed].filter((each) => !statuses || statuses.includes(each.status));
        if (url.startsWith('/api/runs/counts')) return json(200, countsOf(runs));
        return json(200, pageOf(runs));
      }),
    );
    renderView(new QueryClient({ defaultOptions: { queries: { retry: false } } }));

    // jsdom lays nothing out, so the virtualized rows are not rendered: the section counts and footers say it. The
    // footer sits under the grid, in its scroll container (a grid holds only rows). A home section has none: its
    // heading counts its runs ("1 run loaded" under one row said nothing).
    const needsInput = await screen.findByRole('grid', { name: 'Needs input' });
    expect(within(needsInput.parentElement!).queryByRole('status')).toBeNull();
    expect(screen.getByRole('heading', { name: /Needs input/ }).textContent).toContain('1');
    // Active is every run not ended, the waiting one too: the same count as the header's "Active runs".
    expect(screen.getByRole('heading', { name: /Active/ }).textContent).toBe('Active1');
    const all = await screen.findByRole('grid', { name: 'Runs' });
    await vi.waitFor(() =>
      expect(within(all.parentElement!).getByRole('status').textContent).toBe('2 runs loaded'),
    );
    expect(within(all).getByRole('columnheader', { name: 'Thread' })).toBeTruthy();
    // Every list across threads is asked without a thread: the server answers for all of them.
    expect(
      requested.filter((url) => url.startsWith('/api/runs')).every((url) => !url.includes('thread_id')),
    ).toBe(true);
  });
});
