import { Stream } from 'openai/streaming';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newRunScope } from '../test-support/run-stream-scope';
import { RunStream } from './run-stream';

const scope = newRunScope();

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('a run stream that stays silent', () => {
  it('sends a keep-alive comment (skipped by SSE readers) once silent for the keep-alive time, and stops when closed', async () => {
    const closed = vi.fn();
    const stream = new RunStream(scope, closed, 300);
    const reader = stream.body.getReader();
    const decoder = new TextDecoder();
    let received = '';
    const pump = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        received += decoder.decode(value);
      }
    })();

    await vi.advanceTimersByTimeAsync(250);
    expect(received).toBe('');
    await vi.advanceTimersByTimeAsync(150);
    expect(received).toBe(': keep-alive\n\n');
    await vi.advanceTimersByTimeAsync(300);
    expect(received).toBe(': keep-alive\n\n: keep-alive\n\n');

    stream.close();
    await pump;
    expect(closed).toHaveBeenCalledOnce();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("is skipped by OpenAI's SDK, which sees only the run's events", async () => {
    vi.useRealTimers();
    const body =
      ': keep-alive\n\nevent: thread.run.created\ndata: {"id":"run_1","object":"thread.run"}\n\n' +
      ': keep-alive\n\nevent: done\ndata: [DONE]\n\n';
    const events: unknown[] = [];
    for await (const event of Stream.fromSSEResponse(new Response(body), new AbortController()))
      events.push(event);
    expect(events).toEqual([{ event: 'thread.run.created', data: { id: 'run_1', object: 'thread.run' } }]);
  });
});
