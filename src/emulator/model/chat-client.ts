import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from './chat-types';
import { CompletionAccumulator, sseData, type Completion } from './completion-accumulator';
import { maskSecret } from './secret-mask';

/** Where the model lives. The key is sent as a bearer token and nowhere else. */
export interface ModelEndpoint {
  /** An OpenAI-compatible base URL ending in `/v1/` (trailing slash added by the configuration). */
  baseUrl: URL;
  apiKey: string | null;
  /** The longest wait for the answer to begin, and between two streamed chunks, before the attempt is abandoned. */
  idleTimeoutMs: number;
}

/** Why one attempt produced no completion. */
export type AttemptFailure =
  | { kind: 'rate_limited'; status: 429; message: string; retryAfterMs: number | null }
  /** 5xx, 408, 409, a timeout, an unreachable endpoint or a stream that broke off: worth another attempt. */
  | {
      kind: 'unavailable';
      status: number | null;
      reason: 'status' | 'timeout' | 'unreachable' | 'broken';
      message: string;
    }
  /** A 400 (or 413, 422): the prompt itself was refused. */
  | { kind: 'invalid_prompt'; status: number; message: string }
  /** Any other 4xx (a wrong key, an unknown model): another attempt would get the same. */
  | { kind: 'refused'; status: number; message: string }
  /** The run was cancelled or expired while the call was in flight. */
  | { kind: 'aborted' };

export type AttemptResult =
  | { ok: true; status: number; completion: Completion; firstTokenMs: number | null }
  | { ok: false; failure: AttemptFailure; status: number | null; streamed: boolean };

const MESSAGE_LIMIT = 500;

/**
 * One `POST chat/completions` with `stream: true`. Each piece of text is handed to `onText` as it arrives; the
 * attempt ends at `[DONE]`, at the end of the body, on `signal` (cancel, expiry) or after `idleTimeoutMs` of silence.
 */
export async function attemptChatCompletion(
  endpoint: ModelEndpoint,
  request: ChatCompletionRequest,
  options: { signal: AbortSignal; onText: (appended: string) => void; now?: () => number },
): Promise<AttemptResult> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const idle = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  const armIdleTimer = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => idle.abort(), endpoint.idleTimeoutMs);
  };
  const signal = AbortSignal.any([options.signal, idle.signal]);
  const accumulator = new CompletionAccumulator();
  let status: number | null = null;
  let firstTokenMs: number | null = null;
  const failed = (failure: AttemptFailure): AttemptResult => ({
    ok: false,
    failure: options.signal.aborted ? { kind: 'aborted' } : failure,
    status,
    streamed: accumulator.hasOutput(),
  });

  armIdleTimer();
  try {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'text/event-stream, application/json',
    };
    if (endpoint.apiKey) headers.authorization = `Bearer ${endpoint.apiKey}`;
    const response = await fetch(new URL('chat/completions', endpoint.baseUrl), {
      method: 'POST',
      headers,
      body: JSON.stringify(request),
      signal,
    });
    status = response.status;
    if (!response.ok) {
      const message = maskSecret(await errorMessage(response), endpoint.apiKey);
      return failed(classifyStatus(response, message));
    }
    armIdleTimer();
    const isJson = (response.headers.get('content-type') ?? '').includes('application/json');
    if (isJson || !response.body) {
      const text = accumulator.addWhole((await response.json()) as ChatCompletion);
      firstTokenMs = now() - startedAt;
      if (text) options.onText(text);
    } else {
      for await (const data of sseData(response.body)) {
        armIdleTimer();
        if (data.trim() === '[DONE]') break;
        const chunk = parseChunk(data);
        if (chunk === null) continue;
        if ('error' in chunk) {
          return failed({ kind: 'unavailable', status, reason: 'broken', message: chunk.error });
        }
        const appended = accumulator.add(chunk);
        if (appended) {
          firstTokenMs ??= now() - startedAt;
          options.onText(appended);
        }
      }
    }
    return { ok: true, status, completion: accumulator.result(), firstTokenMs };
  } catch (error) {
    if (options.signal.aborted) return failed({ kind: 'aborted' });
    if (idle.signal.aborted) {
      return failed({
        kind: 'unavailable',
        status,
        reason: 'timeout',
        message: `The model did not answer within ${endpoint.idleTimeoutMs} ms.`,
      });
    }
    return failed({
      kind: 'unavailable',
      status,
      reason: status === null ? 'unreachable' : 'broken',
      message: maskSecret(
        status === null
          ? `The model endpoint is unreachable: ${causeOf(error)}`
          : `The answer broke off: ${causeOf(error)}`,
        endpoint.apiKey,
      ),
    });
  } finally {
    if (timer) clearTimeout(timer);
  }
}

function classifyStatus(response: Response, message: string): AttemptFailure {
  const status = response.status;
  if (status === 429)
    return { kind: 'rate_limited', status, message, retryAfterMs: retryAfterMs(response.headers) };
  if (status >= 500 || status === 408 || status === 409)
    return { kind: 'unavailable', status, reason: 'status', message };
  if (status === 400 || status === 413 || status === 422) return { kind: 'invalid_prompt', status, message };
  return { kind: 'refused', status, message };
}

/** `retry-after-ms` (OpenAI's), else `Retry-After` in seconds or as an HTTP date. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | null {
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') !== null && Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get('retry-after');
  if (raw === null) return null;
  const seconds = Number(raw);
  if (raw.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

async function errorMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  let message = text;
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof body.error === 'string') message = body.error;
    else if (typeof body.error?.message === 'string') message = body.error.message;
    else if (typeof body.message === 'string') message = body.message;
  } catch {
    // Not JSON: the text itself.
  }
  message = message.trim() || `HTTP ${response.status}`;
  return message.length > MESSAGE_LIMIT ? `${message.slice(0, MESSAGE_LIMIT - 1)}…` : message;
}

function parseChunk(data: string): ChatCompletionChunk | { error: string } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const error = (parsed as { error?: { message?: unknown } | string }).error;
  if (error !== undefined && error !== null) {
    const message =
      typeof error === 'string' ? error : String(error.message ?? 'The model reported an error.');
    return { error: message.slice(0, MESSAGE_LIMIT) };
  }
  return parsed as ChatCompletionChunk;
}

function causeOf(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    if (cause && typeof cause.code === 'string') return cause.code;
    if (cause && typeof cause.message === 'string') return cause.message;
    return error.message;
  }
  return String(error);
}
