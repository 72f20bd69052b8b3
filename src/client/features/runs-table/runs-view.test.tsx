// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ListResponse, Run } from '../../../shared/openai-types';
import { runKeys } from '../../api/run-queries';
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
      return notFound.clone();
    });
    vi.stubGlobal('fetch', fetchMock);
    renderView(new QueryClient({ defaultOptions: { queries: { retry: false } } }));

    expect(await screen.findByText('Cannot load the runs of this thread')).toBeTruthy();
    expect(screen.getByText(`No thread found with id '${THREAD}'.`)).toBeTruthy();
    const runsCalls = () => fetchMock.mock.calls.filter(([url]) => url.includes('/runs')).length;
    const before = runsCalls();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await vi.waitFor(() => expect(runsCalls()).toBe(before + 1));
  });

  it('keeps the last runs on screen with their age and a banner when a refresh fails', async () => {
    const page: ListResponse<Run> = {
      object: 'list',
      data: [run('run_a')],
      first_id: 'run_a',
      last_id: 'run_a',
      has_more: false,
    };
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
        return json(200, page);
      }),
    );
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    renderView(client);
    expect(await screen.findByText('1 run loaded')).toBeTruthy();

    failing = true;
    await client.refetchQueries({ queryKey: runKeys.window(THREAD) });
    const banner = await screen.findByRole('alert');
    expect(banner.textContent).toMatch(/Showing runs from .+: refreshing failed \(Upstream is down\.\)/);
    expect(screen.getByText('1 run loaded')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Retry now' })).toBeTruthy();
  });

  it('teaches what to do when no thread is picked', () => {
    window.history.replaceState(null, '', '/');
    renderView(new QueryClient());
    expect(screen.getByText('Pick a thread')).toBeTruthy();
  });
});
