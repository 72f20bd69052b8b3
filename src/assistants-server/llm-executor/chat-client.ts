import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from './chat-types';
import { CompletionAccumulator, MalformedAnswer, type Completion } from './completion-accumulator';
import { DEFAULT_MODEL_LIMITS, ERROR_BODY_BYTES, MAX_EMPTY_EVENTS, type ModelLimits } from './model-limits';
import { maskSecret } from '../../platform/secret-mask';
import { readBounded, readPrefix, sseData, UpstreamTooLarge } from './upstream-reads';

/** Where the model lives. The key is sent as a bearer token and nowhere else. */
export interface ModelEndpoint {
  /** An OpenAI-compatible base URL ending in `/v1/` (trailing slash added by the configuration). */
  baseUrl: URL;
  apiKey: string | null;
  /** The longest wait for the answer to begin, and between two streamed chunks, before the attempt is abandoned. */
  idleTimeoutMs: number;
  limits?: ModelLimits;
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
  const limits = endpoint.limits ?? DEFAULT_MODEL_LIMITS;
  const idle = new AbortController();
  /** Aborted when the attempt ends, so a body left unread (an answer cut off) closes its connection. */
  const over = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  // Re-armed at every streamed event: refresh() moves the deadline without a new timer.
  const armIdleTimer = () => {
    if (timer) timer.refresh();
    else timer = setTimeout(() => idle.abort(), endpoint.idleTimeoutMs);
  };
  const signal = AbortSignal.any([options.signal, idle.signal, over.signal]);
  const accumulator = new CompletionAccumulator(limits);
  let status: number | null = null;
  let firstTokenMs: number | null = null;
  // Every message of a failure passes the mask here: it is stored, logged and may become the run's last_error.
  const failed = (failure: AttemptFailure): AttemptResult => ({
    ok: false,
    failure: options.signal.aborted
      ? { kind: 'aborted' }
      : 'message' in failure
        ? { ...failure, message: shortened(maskSecret(failure.message, endpoint.apiKey)) }
        : failure,
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
      return failed(classifyStatus(response, await errorMessage(response)));
    }
    armIdleTimer();
    const isJson = (response.headers.get('content-type') ?? '').includes('application/json');
    if (isJson || !response.body) {
      const body = await readBounded(response.body, limits.maxBodyBytes);
      const text = accumulator.addWhole(JSON.parse(body) as ChatCompletion);
      firstTokenMs = now() - startedAt;
      if (text) options.onText(text);
    } else {
      let emptyEvents = 0;
      for await (const data of sseData(response.body, limits.maxLineBytes)) {
        armIdleTimer();
        if (data.trim() === '[DONE]') break;
        const chunk = parseChunk(data);
        if (chunk !== null && 'error' in chunk) {
          return failed({ kind: 'unavailable', status, reason: 'broken', message: chunk.error });
        }
        const keptBefore = accumulator.keptBytes;
        const appended = chunk === null ? '' : accumulator.add(chunk);
        if (appended) {
          firstTokenMs ??= now() - startedAt;
          options.onText(appended);
        }
        // An answer at its bound ends here, as `length`: the rest of the stream is not read.
        if (accumulator.cutOff) break;
        emptyEvents = accumulator.keptBytes > keptBefore ? 0 : emptyEvents + 1;
        if (emptyEvents > MAX_EMPTY_EVENTS) {
          throw new MalformedAnswer(`The model sent ${MAX_EMPTY_EVENTS} events in a row that added nothing.`);
        }
      }
    }
    return { ok: true, status, completion: accumulator.result(), firstTokenMs };
  } catch (error) {
    if (options.signal.aborted) return failed({ kind: 'aborted' });
    if (error instanceof MalformedAnswer) {
      return failed({ kind: 'unavailable', status, reason: 'broken', message: error.message });
    }
    // The setting is named: an operator reading the call's error knows which bound to raise.
    if (error instanceof UpstreamTooLarge) {
      const setting =
        error.bound === 'body' ? 'RUNBOARD_MODEL_MAX_BODY_BYTES' : 'RUNBOARD_MODEL_MAX_LINE_BYTES';
      return failed({
        kind: 'unavailable',
        status,
        reason: 'broken',
        message: `${error.message} (${setting}).`,
      });
    }
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
      message:
        status === null
          ? `The model endpoint is unreachable: ${causeOf(error)}`
          : `The answer broke off: ${causeOf(error)}`,
    });
  } finally {
    if (timer) clearTimeout(timer);
    over.abort();
  }
}

export function classifyStatus(response: Response, message: string): AttemptFailure {
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

export async function errorMessage(response: Response): Promise<string> {
  const text = await readPrefix(response.body, ERROR_BODY_BYTES).catch(() => '');
  let message = text;
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof body.error === 'string') message = body.error;
    else if (typeof body.error?.message === 'string') message = body.error.message;
    else if (typeof body.message === 'string') message = body.message;
  } catch {
    // Not JSON: the text itself.
  }
  return message.trim() || `HTTP ${response.status}`;
}

/** Masked first, then cut: a key cut in half by the limit would no longer be recognised. */
export function shortened(message: string): string {
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
    return { error: message };
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
