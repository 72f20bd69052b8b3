import type { ErrorResponse } from '../../shared/openai-types';

/** A non-2xx answer (or no answer at all) from Runboard's server, carrying the OpenAI error body. */
export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  readonly code: string | null;
  /** From `retry-after-ms` or `Retry-After` (seconds or an HTTP date); null when the server gave none. */
  readonly retryAfterMs: number | null;

  constructor(options: {
    status: number;
    message: string;
    type: string;
    param?: string | null;
    code?: string | null;
    retryAfterMs?: number | null;
  }) {
    super(options.message);
    this.name = 'ApiError';
    this.status = options.status;
    this.type = options.type;
    this.param = options.param ?? null;
    this.code = options.code ?? null;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }

  /** The server wants the Runboard access token (missing or wrong). */
  get isTokenRequired(): boolean {
    return this.status === 401 && this.code === 'runboard_token_required';
  }

  /** Worth trying again: the network, timeouts, conflicts, rate limits and server errors. */
  get isRetryable(): boolean {
    return (
      this.status === 0 ||
      this.status === 408 ||
      this.status === 409 ||
      this.status === 429 ||
      this.status >= 500 ||
      this.type === 'invalid_response'
    );
  }
}

/** Status 0: the request never got an answer (server down, connection refused). */
export function networkError(cause: unknown): ApiError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new ApiError({
    status: 0,
    message: `Cannot reach the Runboard server (${detail}).`,
    type: 'network_error',
  });
}

/** Status 0 as well (no answer), but the server was reached and did not answer in time. */
export function timeoutError(timeoutMs: number): ApiError {
  return new ApiError({
    status: 0,
    message: `The Runboard server did not answer within ${Math.round(timeoutMs / 1000)} s.`,
    type: 'timeout',
  });
}

/** A 2xx whose body is not JSON (cut off, or not from Runboard): worth retrying, never shown as data. */
export function unreadableAnswer(status: number): ApiError {
  return new ApiError({
    status,
    message: `The server's answer (${status}) could not be read: it is not valid JSON.`,
    type: 'invalid_response',
  });
}

export function isErrorResponse(body: unknown): body is ErrorResponse {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = (body as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

export function parseRetryAfter(headers: Headers, nowMs: number): number | null {
  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds !== null && Number.isFinite(Number(milliseconds)) && Number(milliseconds) >= 0) {
    return Number(milliseconds);
  }
  const value = headers.get('retry-after');
  if (value === null) return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}
