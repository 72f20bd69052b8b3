import {
  ApiError,
  isErrorResponse,
  networkError,
  parseRetryAfter,
  timeoutError,
  unreadableAnswer,
} from './api-error';
import { accessToken } from './access-token';
import { parsePollAfterHeader } from '../lib/polling-policy';
import { BACKEND_TIME_HEADER } from '../../shared/runboard-types';
import { observeBackendTime } from '../lib/backend-clock';

export const TOKEN_HEADER = 'x-runboard-token';
/**
 * A request the server holds this long is given up: without a bound, a hung request would freeze a query (no new
 * poll starts while one is in flight) and the dashboard would show old data as live.
 */
export const REQUEST_TIMEOUT_MS = 10_000;

export interface ApiRequest {
  method?: 'GET' | 'POST' | 'DELETE';
  /** Sent as JSON; a FormData as multipart (an upload). */
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  signal?: AbortSignal;
  /** Defaults to REQUEST_TIMEOUT_MS. */
  timeoutMs?: number;
}

export interface ApiAnswer<T> {
  data: T;
  /** The server's `openai-poll-after-ms` hint, sent while a run is active. */
  pollAfterMs: number | null;
}

/** What every request to the server carries: the API's beta header on /v1, the access token when there is one. */
export function requestHeaders(path: string): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (path.startsWith('/v1/')) headers['openai-beta'] = 'assistants=v2';
  const token = accessToken.get();
  if (token) headers[TOKEN_HEADER] = token;
  return headers;
}

/** Calls Runboard's server (`/v1/...` or `/api/...`) and returns the parsed body with the polling hint. */
export async function apiRequest<T>(path: string, request: ApiRequest = {}): Promise<ApiAnswer<T>> {
  const headers = requestHeaders(path);
  const form = request.body instanceof FormData;
  if (request.body !== undefined && !form) headers['content-type'] = 'application/json';

  const timeoutMs = request.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  const failure = (cause: unknown) => {
    if (request.signal?.aborted) return cause;
    return timeout.aborted ? timeoutError(timeoutMs) : networkError(cause);
  };

  let response: Response;
  try {
    response = await fetch(withQuery(path, request.query), {
      method: request.method ?? 'GET',
      headers,
      body: form
        ? (request.body as FormData)
        : request.body === undefined
          ? undefined
          : JSON.stringify(request.body),
      signal,
    });
  } catch (cause) {
    throw failure(cause);
  }

  const backendTime = response.headers.get(BACKEND_TIME_HEADER);
  if (backendTime !== null) observeBackendTime(Number(backendTime), Date.now());

  let text: string;
  try {
    text = await response.text();
  } catch (cause) {
    // The connection dropped (or stalled) in the middle of the answer.
    throw failure(cause);
  }
  const body = parseJson(text);
  if (!response.ok) throw refusal(response, text);
  // A success whose body is not JSON (truncated, a proxy's page) is a failure to retry, never data to show.
  if (body === UNREADABLE) throw unreadableAnswer(response.status);
  return { data: body as T, pollAfterMs: parsePollAfterHeader(response.headers.get('openai-poll-after-ms')) };
}

/** The parsed body only. Throws ApiError on any non-2xx answer. */
export async function apiFetch<T>(path: string, request: ApiRequest = {}): Promise<T> {
  return (await apiRequest<T>(path, request)).data;
}

function withQuery(path: string, query: ApiRequest['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** The error of an answer that is not a success, from its body's text; a missing token opens the prompt. */
function refusal(response: Response, text: string): ApiError {
  const body = parseJson(text);
  const error = toApiError(response, body === UNREADABLE ? text : body);
  if (error.isTokenRequired) accessToken.requestPrompt();
  return error;
}

const UNREADABLE = Symbol('unreadable');

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return UNREADABLE;
  }
}

function toApiError(response: Response, body: unknown): ApiError {
  const retryAfterMs = parseRetryAfter(response.headers, Date.now());
  if (isErrorResponse(body)) {
    return new ApiError({ status: response.status, ...body.error, retryAfterMs });
  }
  const detail = typeof body === 'string' && body.trim() ? `: ${body.trim().slice(0, 200)}` : '';
  return new ApiError({
    status: response.status,
    message: `The server answered ${response.status} ${response.statusText}${detail}`.trim(),
    type: 'http_error',
    retryAfterMs,
  });
}
