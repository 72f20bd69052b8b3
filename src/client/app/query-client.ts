import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/api-error';

const MAX_RETRIES = 3;
const MAX_RETRY_DELAY_MS = 60_000;

/**
 * Retries what can succeed later (network, 408/409/429, 5xx); a 4xx answer is final. A timeout is not retried at
 * once: it already waited the full timeout, and the next poll tries again anyway.
 */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (failureCount >= MAX_RETRIES) return false;
  if (error instanceof ApiError) return error.isRetryable && error.type !== 'timeout';
  return true;
}

/** The server's Retry-After when it sent one, else 1 s, 2 s, 4 s… */
export function retryDelay(failureCount: number, error: unknown): number {
  if (error instanceof ApiError && error.retryAfterMs !== null)
    return Math.min(error.retryAfterMs, MAX_RETRY_DELAY_MS);
  return Math.min(1_000 * 2 ** failureCount, 8_000);
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // The server is usually on loopback: reachable even when the browser believes it is offline.
        networkMode: 'always',
        retry: shouldRetry,
        retryDelay,
        staleTime: 1_000,
        refetchOnWindowFocus: true,
      },
      mutations: {
        networkMode: 'always',
        retry: false,
      },
    },
  });
}
