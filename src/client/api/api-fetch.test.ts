import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiFetch, apiRequest } from './api-fetch';
import { ApiError } from './api-error';
import { accessToken } from './access-token';
import { BACKEND_TIME_HEADER } from '../../shared/runboard-types';
import { backendNow, observeBackendTime } from '../lib/backend-clock';

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  return vi.fn(async () => new Response(body === null ? null : JSON.stringify(body), { status, headers }));
}

afterEach(() => {
  vi.unstubAllGlobals();
  accessToken.forget();
  observeBackendTime(Date.now(), Date.now());
});

describe('apiFetch', () => {
  it('returns the parsed body and the poll hint', async () => {
    vi.stubGlobal('fetch', answer(200, { id: 'run_1' }, { 'openai-poll-after-ms': '750' }));
    await expect(apiRequest('/v1/threads/thread_1/runs/run_1')).resolves.toEqual({
      data: { id: 'run_1' },
      pollAfterMs: 750,
    });
  });

  it("learns the backend's clock from its answers", async () => {
    const aheadMs = 600_000;
    vi.stubGlobal(
      'fetch',
      answer(200, { id: 'run_1' }, { [BACKEND_TIME_HEADER]: String(Date.now() + aheadMs) }),
    );
    await apiRequest('/v1/threads/thread_1/runs/run_1');
    expect(backendNow() - Date.now()).toBeGreaterThan(aheadMs - 1_000);
    expect(backendNow() - Date.now()).toBeLessThanOrEqual(aheadMs);
  });

  it('throws an ApiError with the OpenAI error body and Retry-After', async () => {
    vi.stubGlobal(
      'fetch',
      answer(
        429,
        {
          error: {
            message: 'Slow down.',
            type: 'rate_limit_error',
            param: null,
            code: 'rate_limit_exceeded',
          },
        },
        { 'retry-after': '3' },
      ),
    );
    const error = await apiFetch('/v1/threads/thread_1/runs').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 429,
      message: 'Slow down.',
      type: 'rate_limit_error',
      code: 'rate_limit_exceeded',
      retryAfterMs: 3000,
      isRetryable: true,
    });
  });

  it('sends the stored token and asks for one on runboard_token_required', async () => {
    const fetchMock = answer(401, {
      error: {
        message: 'Token required.',
        type: 'invalid_request_error',
        param: null,
        code: 'runboard_token_required',
      },
    });
    vi.stubGlobal('fetch', fetchMock);
    accessToken.save('secret');
    await expect(apiFetch('/api/config')).rejects.toMatchObject({ isTokenRequired: true });
    const [, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect((init.headers as Record<string, string>)['x-runboard-token']).toBe('secret');
    expect(accessToken.snapshot().prompt).toBe(true);
  });

  it('turns a refused connection into a status-0 ApiError', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    );
    await expect(apiFetch('/api/config')).rejects.toMatchObject({ status: 0, isRetryable: true });
  });

  it('describes a non-JSON error answer', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('Bad gateway', { status: 502, statusText: 'Bad Gateway' })),
    );
    await expect(apiFetch('/v1/threads')).rejects.toThrow('The server answered 502 Bad Gateway: Bad gateway');
  });

  it('refuses a 2xx whose JSON is cut off, as a retryable error rather than data', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('{"object":"list","data":[{"id":', { status: 200 })),
    );
    const error = await apiFetch('/v1/threads/thread_1/runs').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 200,
      type: 'invalid_response',
      isRetryable: true,
      message: "The server's answer (200) could not be read: it is not valid JSON.",
    });
  });

  it('turns a connection dropped in the middle of the body into a status-0 ApiError', async () => {
    const broken = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"object":'));
        controller.error(new TypeError('network error'));
      },
    });
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(broken, { status: 200 })),
    );
    await expect(apiFetch('/v1/threads')).rejects.toMatchObject({ status: 0, type: 'network_error' });
  });

  it('gives up on a request the server holds, as a status-0 timeout', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        (_url: string, init: RequestInit) =>
          new Promise((_resolve, reject) =>
            init.signal!.addEventListener('abort', () => reject(init.signal!.reason)),
          ),
      ),
    );
    await expect(apiFetch('/v1/threads', { timeoutMs: 20 })).rejects.toMatchObject({
      status: 0,
      type: 'timeout',
      message: expect.stringMatching(/^The Runboard server did not answer within \d+ s\.$/),
    });
    const caller = new AbortController();
    const cancelled = apiFetch('/v1/threads', { signal: caller.signal }).catch((caught: unknown) => caught);
    caller.abort(new DOMException('Left the page', 'AbortError'));
    expect(await cancelled).toMatchObject({ name: 'AbortError', message: 'Left the page' });
  });
});
