import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/api-error';
import { retryDelay, shouldRetry } from './query-client';

const error = (status: number, retryAfterMs: number | null = null) =>
  new ApiError({ status, message: 'x', type: 'invalid_request_error', retryAfterMs });

describe('query retries', () => {
  it('retries network failures, rate limits and server errors, not client errors', () => {
    expect(shouldRetry(0, error(0))).toBe(true);
    expect(shouldRetry(0, error(429))).toBe(true);
    expect(shouldRetry(0, error(503))).toBe(true);
    expect(shouldRetry(0, error(404))).toBe(false);
    expect(shouldRetry(0, error(401))).toBe(false);
    expect(shouldRetry(3, error(503))).toBe(false);
  });

  it("waits for the server's Retry-After, capped, else backs off", () => {
    expect(retryDelay(0, error(429, 3_000))).toBe(3_000);
    expect(retryDelay(0, error(429, 600_000))).toBe(60_000);
    expect(retryDelay(0, error(503))).toBe(1_000);
    expect(retryDelay(2, error(503))).toBe(4_000);
  });
});
