// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MetadataEditor } from './metadata-editor';
import { makeRun } from '../../../../shared/test-support/run-fixture';

const run = makeRun({ id: 'run_1', thread_id: 'thread_1', status: 'completed', metadata: { env: 'prod' } });

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function renderEditor() {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  render(
    <QueryClientProvider client={client}>
      <MetadataEditor run={run} />
    </QueryClientProvider>,
  );
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('MetadataEditor', () => {
  it('allows 16 pairs and no 17th: Add pair is disabled at the limit, 16 are saved', async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    const user = userEvent.setup();
    renderEditor();
    await user.click(screen.getByRole('button', { name: 'Edit metadata' }));
    for (let pair = 2; pair <= 16; pair++) {
      await user.click(screen.getByRole('button', { name: '+ Add pair' }));
      await user.type(screen.getByRole('textbox', { name: `Metadata key ${pair}` }), `k${pair}`);
    }
    expect(screen.getByText('16 of 16 pairs: the limit')).toBeTruthy();
    expect(screen.getByRole('button', { name: '+ Add pair' })).toHaveProperty('disabled', true);
    await user.click(screen.getByRole('button', { name: 'Save metadata' }));
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("shows the server's refusal when one still comes, and keeps the edit", async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        json(400, {
          error: {
            message: "Invalid 'metadata.env': string too long.",
            type: 'invalid_request_error',
            param: 'metadata.env',
            code: 'string_above_max_length',
          },
        }),
      ),
    );
    const user = userEvent.setup();
    renderEditor();
    await user.click(screen.getByRole('button', { name: 'Edit metadata' }));
    const value = screen.getByRole('textbox', { name: 'Metadata value 1' });
    await user.clear(value);
    await user.type(value, 'staging');
    await user.click(screen.getByRole('button', { name: 'Save metadata' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      "The metadata was not saved: Invalid 'metadata.env': string too long.",
    );
    expect(screen.getByRole('textbox', { name: 'Metadata value 1' })).toHaveProperty('value', 'staging');
  });
});
