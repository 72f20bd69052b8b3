import type { RunErrorCode } from '../../shared/openai-types';
import type { AttemptFailure } from './chat-client';
import type { Completion } from './completion-accumulator';

export interface RetryPolicy {
  /** Further attempts after the first, for a 429 or an unavailable endpoint. */
  maxRetries: number;
  /** The wait before retry n (1-based) when the upstream names none. */
  backoffMs: (retry: number) => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  backoffMs: (retry) => Math.min(8_000, 500 * 2 ** (retry - 1)) * (0.8 + Math.random() * 0.4),
};

/** A call's end, in the run's terms: what it completed with (a chat completion, embeddings), or why not. */
export type CallResult<T> =
  | { ok: true; completion: T }
  | { ok: false; aborted: true }
  | { ok: false; aborted: false; code: RunErrorCode; message: string };

/** A model call's end, in the run's terms. */
export type ModelCallResult = CallResult<Completion>;

/** One attempt's end (`AttemptResult` of a chat completion is one). */
export type Attempt<T> =
  { ok: true; completion: T } | { ok: false; failure: AttemptFailure; streamed: boolean };

/** OpenAI's wording for a failure it did not explain. */
export const SERVER_ERROR_MESSAGE = 'Sorry, something went wrong.';

/**
 * Makes attempts until one answers, the retries are spent, or the next wait would end past the run's expiry:
 * a 429 waits what `Retry-After` says; an unavailable endpoint (5xx, timeout, unreachable) waits the backoff;
 * anything else is final. Nothing is retried once text has streamed into the run's message.
 */
export async function callWithRetries<T = Completion>(
  attempt: (attemptNumber: number) => Promise<Attempt<T>>,
  options: {
    policy: RetryPolicy;
    signal: AbortSignal;
    /** The run's expiry and the clock it is counted on (emulator time, ms). */
    deadlineMs: number;
    now: () => number;
    sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  },
): Promise<CallResult<T>> {
  const sleep = options.sleep ?? abortableSleep;
  for (let number = 1; ; number++) {
    const result = await attempt(number);
    if (result.ok) return { ok: true, completion: result.completion };
    const failure = result.failure;
    if (failure.kind === 'aborted') return { ok: false, aborted: true };
    const final = finalError(failure);
    const retryable = failure.kind === 'rate_limited' || failure.kind === 'unavailable';
    if (!retryable || result.streamed || number > options.policy.maxRetries) return final;
    const wait =
      failure.kind === 'rate_limited' && failure.retryAfterMs !== null
        ? failure.retryAfterMs
        : options.policy.backoffMs(number);
    if (options.now() + wait >= options.deadlineMs) return final;
    try {
      await sleep(wait, options.signal);
    } catch {
      return { ok: false, aborted: true };
    }
    if (options.signal.aborted) return { ok: false, aborted: true };
  }
}

function finalError(failure: Exclude<AttemptFailure, { kind: 'aborted' }>): CallResult<never> {
  switch (failure.kind) {
    case 'rate_limited':
      return { ok: false, aborted: false, code: 'rate_limit_exceeded', message: failure.message };
    case 'invalid_prompt':
      return { ok: false, aborted: false, code: 'invalid_prompt', message: failure.message };
    case 'refused':
      return {
        ok: false,
        aborted: false,
        code: 'server_error',
        message: `The model endpoint refused the request (HTTP ${failure.status}): ${failure.message}`,
      };
    case 'unavailable':
      return { ok: false, aborted: false, code: 'server_error', message: SERVER_ERROR_MESSAGE };
  }
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
