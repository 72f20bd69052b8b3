// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Run, RunToolCall } from '../../../../shared/openai-types';
import { ToolOutputsSlot } from './tool-outputs-slot';
import { makeRun } from '../../../../shared/test-support/run-fixture';

const calls: RunToolCall[] = [
  { id: 'call_w', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Oslo"}' } },
  { id: 'call_o', type: 'function', function: { name: 'lookup_order', arguments: '{"order_id":"ORD-1"}' } },
];

function waitingRun(overrides: Partial<Run> = {}): Run {
  const now = Math.floor(Date.now() / 1000);
  return makeRun({
    id: 'run_1',
    thread_id: 'thread_1',
    status: 'requires_action',
    required_action: { type: 'submit_tool_outputs', submit_tool_outputs: { tool_calls: calls } },
    created_at: now - 10,
    started_at: now - 9,
    expires_at: now + 590,
    ...overrides,
  });
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function renderSlot(run: Run) {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  const view = render(
    <QueryClientProvider client={client}>
      <ToolOutputsSlot run={run} />
    </QueryClientProvider>,
  );
  return {
    ...view,
    rerenderWith: (next: Run) =>
      view.rerender(
        <QueryClientProvider client={client}>
          <ToolOutputsSlot run={next} />
        </QueryClientProvider>,
      ),
  };
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

describe('ToolOutputsSlot', () => {
  it('submits only once every call has an output, all in one request, and only once', async () => {
    const fetchMock = vi.fn(async (_url: string, _init?: RequestInit) =>
      json(200, waitingRun({ status: 'queued', required_action: null })),
    );
    vi.stubGlobal('fetch', fetchMock);
    const user = userEvent.setup();
    renderSlot(waitingRun());

    const submit = screen.getByRole('button', { name: /Submit tool outputs/ });
    expect(submit).toHaveProperty('disabled', true);
    await user.type(screen.getByRole('textbox', { name: 'Output for get_weather' }), '{{"temp": 3}');
    expect(submit).toHaveProperty('disabled', true);
    expect(screen.getByText(/1 of 2 calls still without output/)).toBeTruthy();

    const order = screen.getByRole('textbox', { name: 'Output for lookup_order' });
    await user.type(order, 'shipped');
    expect(screen.getByText('Not valid JSON: it will be sent as plain text.')).toBeTruthy();
    await user.keyboard('{Control>}{Enter}{Enter}{/Control}');

    const submits = fetchMock.mock.calls.filter(([url]) => String(url).endsWith('/submit_tool_outputs'));
    expect(submits).toHaveLength(1);
    const [, init] = submits[0]!;
    expect(JSON.parse(String(init?.body))).toEqual({
      tool_outputs: [
        { tool_call_id: 'call_w', output: '{"temp": 3}' },
        { tool_call_id: 'call_o', output: 'shipped' },
      ],
    });
  });

  it("shows the API's refusal and keeps the draft, then explains what became of the run", async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        json(400, {
          error: {
            message: 'Runs in status "expired" do not accept tool outputs.',
            type: 'invalid_request_error',
            param: null,
            code: null,
          },
        }),
      ),
    );
    const user = userEvent.setup();
    const { rerenderWith } = renderSlot(waitingRun());
    await user.type(screen.getByRole('textbox', { name: 'Output for get_weather' }), 'cold');
    await user.type(screen.getByRole('textbox', { name: 'Output for lookup_order' }), 'late');
    await user.click(screen.getByRole('button', { name: /Submit tool outputs/ }));

    expect((await screen.findByRole('alert')).textContent).toBe(
      'The outputs were not accepted: Runs in status "expired" do not accept tool outputs. Your draft is kept.',
    );

    // The next poll brings the expired run: the draft stays, and the person is told why it cannot be sent.
    rerenderWith(waitingRun({ status: 'expired', required_action: null, expires_at: null }));
    expect(screen.getByText(/The run expired before these outputs were submitted/)).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'Output for get_weather' })).toHaveProperty('value', 'cold');
    expect(screen.getByRole('textbox', { name: 'Output for lookup_order' })).toHaveProperty('value', 'late');
  });

  it('keeps typed outputs when a poll re-renders the same waiting run', async () => {
    const user = userEvent.setup();
    const { rerenderWith } = renderSlot(waitingRun());
    await user.type(screen.getByRole('textbox', { name: 'Output for get_weather' }), 'sunny');
    rerenderWith(waitingRun({ started_at: Math.floor(Date.now() / 1000) - 8 }));
    expect(screen.getByRole('textbox', { name: 'Output for get_weather' })).toHaveProperty('value', 'sunny');
  });
});
