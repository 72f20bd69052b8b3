import { describe, expect, it } from 'vitest';
import type { AttemptResult } from './chat-client';
import { callWithRetries, SERVER_ERROR_MESSAGE, type RetryPolicy } from './call-with-retries';

const policy: RetryPolicy = { maxRetries: 3, backoffMs: (retry) => 100 * retry };
const answer: AttemptResult = {
  ok: true,
  status: 200,
  firstTokenMs: 1,
  completion: { text: 'hi', toolCalls: [], finishReason: 'stop', usage: null },
};
const rateLimited = (retryAfterMs: number | null): AttemptResult => ({
  ok: false,
  status: 429,
  streamed: false,
  failure: { kind: 'rate_limited', status: 429, message: 'Rate limit reached for requests', retryAfterMs },
});
const unavailable: AttemptResult = {
  ok: false,
  status: 503,
  streamed: false,
  failure: { kind: 'unavailable', status: 503, reason: 'status', message: 'overloaded' },
};

/** Runs the policy on a scripted list of attempt results with a simulated clock; returns the waits it made. */
async function run(results: AttemptResult[], deadlineMs = 1_000_000, signal = new AbortController().signal) {
  let now = 0;
  const waits: number[] = [];
  let attempts = 0;
  const result = await callWithRetries(async () => results[attempts++] ?? answer, {
    policy,
    signal,
    deadlineMs,
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  });
  return { result, waits, attempts };
}

describe('callWithRetries', () => {
  it('honours Retry-After on a 429, then answers', async () => {
    const { result, waits } = await run([rateLimited(2000), rateLimited(null)]);
    expect(result).toMatchObject({ ok: true });
    expect(waits).toEqual([2000, 200]);
  });

  it('ends rate_limit_exceeded with the upstream message once the retries are spent', async () => {
    const { result, attempts } = await run(Array(4).fill(rateLimited(10)));
    expect(attempts).toBe(4);
    expect(result).toEqual({
      ok: false,
      aborted: false,
      code: 'rate_limit_exceeded',
      message: 'Rate limit reached for requests',
    });
  });

  it('never waits past the run expiry', async () => {
    const { result, waits } = await run([rateLimited(1000), rateLimited(5000)], 3000);
    expect(waits).toEqual([1000]);
    expect(result).toMatchObject({ ok: false, code: 'rate_limit_exceeded' });
  });

  it('retries an unavailable endpoint with backoff, then ends server_error', async () => {
    const { result, waits } = await run(Array(4).fill(unavailable));
    expect(waits).toEqual([100, 200, 300]);
    expect(result).toEqual({
      ok: false,
      aborted: false,
      code: 'server_error',
      message: SERVER_ERROR_MESSAGE,
    });
  });

  it('does not retry a 400: invalid_prompt with the model message', async () => {
    const { result, attempts } = await run([
      {
        ok: false,
        status: 400,
        streamed: false,
        failure: { kind: 'invalid_prompt', status: 400, message: 'context too long' },
      },
    ]);
    expect(attempts).toBe(1);
    expect(result).toEqual({
      ok: false,
      aborted: false,
      code: 'invalid_prompt',
      message: 'context too long',
    });
  });

  it('does not retry once text has streamed into the message', async () => {
    const { result, attempts } = await run([{ ...unavailable, streamed: true } as AttemptResult]);
    expect(attempts).toBe(1);
    expect(result).toMatchObject({ ok: false, code: 'server_error' });
  });

  it('stops waiting when the run is cancelled', async () => {
    const controller = new AbortController();
    const result = await callWithRetries(async () => rateLimited(60_000), {
      policy,
      signal: controller.signal,
      deadlineMs: Infinity,
      now: () => 0,
      sleep: (_ms, signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(new Error('aborted')));
          controller.abort();
        }),
    });
    expect(result).toEqual({ ok: false, aborted: true });
  });
});
