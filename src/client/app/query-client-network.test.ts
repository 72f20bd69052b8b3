import { onlineManager, QueryObserver, MutationObserver } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, timeoutError } from '../api/api-error';
import { createQueryClient, shouldRetry } from './query-client';

const rateLimited = (retryAfterMs: number) =>
  new ApiError({ status: 429, message: 'Rate limit reached', type: 'requests', retryAfterMs });
const unavailable = () => new ApiError({ status: 503, message: 'Overloaded', type: 'server_error' });

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  onlineManager.setOnline(true);
});

describe('the query client under faults', () => {
  it("fetches even when the browser believes it is offline (networkMode 'always': the server is on loopback)", async () => {
    onlineManager.setOnline(false);
    const client = createQueryClient();
    const queryFn = vi.fn(async () => 'runs');
    await expect(client.fetchQuery({ queryKey: ['runs'], queryFn })).resolves.toBe('runs');
    expect(queryFn).toHaveBeenCalledTimes(1);

    const mutationFn = vi.fn(async () => 'cancelled');
    const mutation = new MutationObserver(client, { mutationFn });
    await expect(mutation.mutate(undefined)).resolves.toBe('cancelled');
  });

  it("waits for a 429's Retry-After before trying again", async () => {
    const client = createQueryClient();
    const queryFn = vi.fn().mockRejectedValueOnce(rateLimited(5_000)).mockResolvedValue('runs');
    const observer = new QueryObserver(client, { queryKey: ['limited'], queryFn });
    const unsubscribe = observer.subscribe(() => {});
    await vi.advanceTimersByTimeAsync(4_999);
    expect(queryFn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(queryFn).toHaveBeenCalledTimes(2);
    expect(observer.getCurrentResult().data).toBe('runs');
    unsubscribe();
  });

  it('retries 5xx three times with growing pauses, then stops: no retry storm', async () => {
    const client = createQueryClient();
    const queryFn = vi.fn().mockRejectedValue(unavailable());
    const observer = new QueryObserver(client, { queryKey: ['down'], queryFn });
    const unsubscribe = observer.subscribe(() => {});
    const callsAt: number[] = [];
    for (const step of [999, 1, 1_999, 1, 3_999, 1]) {
      await vi.advanceTimersByTimeAsync(step);
      callsAt.push(queryFn.mock.calls.length);
    }
    // 1 s, then 2 s, then 4 s apart.
    expect(callsAt).toEqual([1, 2, 2, 3, 3, 4]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(queryFn).toHaveBeenCalledTimes(4);
    expect(observer.getCurrentResult().error).toBeInstanceOf(ApiError);
    unsubscribe();
  });

  it('never retries a mutation, even on a retryable error', async () => {
    const client = createQueryClient();
    const mutationFn = vi.fn().mockRejectedValue(unavailable());
    const mutation = new MutationObserver(client, { mutationFn });
    await expect(mutation.mutate(undefined)).rejects.toBeInstanceOf(ApiError);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(mutationFn).toHaveBeenCalledTimes(1);
  });

  it('does not retry a timed-out request at once: the next poll is the retry', () => {
    expect(shouldRetry(0, timeoutError(10_000))).toBe(false);
    expect(shouldRetry(0, new ApiError({ status: 0, message: 'x', type: 'network_error' }))).toBe(true);
  });
});
