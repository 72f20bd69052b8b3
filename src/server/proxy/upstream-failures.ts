import type { ApiError, ErrorResponse } from '../../shared/openai-types';

/**
 * Turns what an upstream answered (or failed to answer) into an error the dashboard can show as is.
 * Every text here has already had the key masked out.
 */

export interface UpstreamFailureContext {
  upstreamHost: string;
  method: string;
  /** e.g. `threads/{thread_id}/runs` */
  template: string;
  isRunsRoute: boolean;
}

/** The API's own "not found" wording (`No run found with id 'run_…'.`): a real answer about a real route. */
const RESOURCE_NOT_FOUND = /^No [a-z ]+ found with id /i;

export function upstreamErrorBody(
  status: number,
  bodyText: string,
  context: UpstreamFailureContext,
): ErrorResponse {
  const upstreamError = parseApiError(bodyText);
  if (status === 404 && !(upstreamError && RESOURCE_NOT_FOUND.test(upstreamError.message))) {
    return notAssistantsServer(context, upstreamError?.message ?? null);
  }
  if (!upstreamError) {
    return {
      error: {
        message: `The upstream ${context.upstreamHost} answered ${status} to ${describe(context)} without an error in the API's format.`,
        type: status >= 500 ? 'server_error' : 'invalid_request_error',
        param: null,
        code: 'upstream_error',
      },
    };
  }
  if (status === 401) {
    return {
      error: {
        ...upstreamError,
        message: `The upstream ${context.upstreamHost} refused the server's OPENAI_API_KEY: ${upstreamError.message}`,
      },
    };
  }
  return { error: upstreamError };
}

function notAssistantsServer(context: UpstreamFailureContext, upstreamMessage: string | null): ErrorResponse {
  const what = context.isRunsRoute ? 'the runs API' : 'the Assistants API';
  const said = upstreamMessage ? ` (it said: ${upstreamMessage})` : '';
  return {
    error: {
      message:
        `The upstream ${context.upstreamHost} answered 404 to ${describe(context)}${said}: it is most likely not an ` +
        `Assistants v2 server, so ${what} is not there. OpenAI shut its own Assistants API down on 2026-08-26. ` +
        'Point OPENAI_BASE_URL at an Assistants v2 compatible server, or unset it to use the embedded emulator.',
      type: 'invalid_request_error',
      param: null,
      code: 'upstream_not_assistants_v2',
    },
  };
}

export function upstreamTimeoutBody(context: UpstreamFailureContext, timeoutMs: number): ErrorResponse {
  return {
    error: {
      message:
        `The upstream ${context.upstreamHost} did not answer ${describe(context)} within ${formatMs(timeoutMs)} ` +
        '(RUNBOARD_UPSTREAM_TIMEOUT_MS).',
      type: 'server_error',
      param: null,
      code: 'upstream_timeout',
    },
  };
}

/** The upstream's answer was larger than the proxy reads whole (an endless or runaway body). */
export function upstreamAnswerTooLargeBody(context: UpstreamFailureContext, maxBytes: number): ErrorResponse {
  return {
    error: {
      message:
        `The upstream ${context.upstreamHost} answered ${describe(context)} with more than ${maxBytes} bytes, ` +
        'more than Runboard reads of one answer, so it was not relayed.',
      type: 'server_error',
      param: null,
      code: 'upstream_answer_too_large',
    },
  };
}

/** The `error` event that ends a relayed stream when the upstream sent nothing for the idle timeout. */
export function upstreamStreamIdleError(context: UpstreamFailureContext, timeoutMs: number): ApiError {
  return {
    message:
      `The upstream ${context.upstreamHost} sent nothing on the stream of ${describe(context)} for ` +
      `${formatMs(timeoutMs)} (RUNBOARD_UPSTREAM_TIMEOUT_MS bounds each wait of a stream), so Runboard ended it.`,
    type: 'server_error',
    param: null,
    code: 'upstream_timeout',
  };
}

/** The `error` event that ends a relayed stream when one event grew past the bound without its end. */
export function upstreamStreamFrameTooLargeError(
  context: UpstreamFailureContext,
  maxBytes: number,
): ApiError {
  return {
    message:
      `The upstream ${context.upstreamHost} sent an event longer than ${maxBytes} bytes on the stream of ` +
      `${describe(context)} (RUNBOARD_PROXY_MAX_FRAME_BYTES bounds each streamed event), so Runboard ended it.`,
    type: 'server_error',
    param: null,
    code: 'upstream_frame_too_large',
  };
}

/** The `error` event that ends a relayed stream when the upstream connection broke off before the stream's end. */
export function upstreamStreamBrokenError(context: UpstreamFailureContext, reason: string): ApiError {
  return {
    message: `The upstream ${context.upstreamHost} broke off the stream of ${describe(context)} (${reason}).`,
    type: 'server_error',
    param: null,
    code: 'upstream_unreachable',
  };
}

export function upstreamUnreachableBody(context: UpstreamFailureContext, reason: string): ErrorResponse {
  return {
    error: {
      message: `Runboard could not reach the upstream ${context.upstreamHost} for ${describe(context)} (${reason}).`,
      type: 'server_error',
      param: null,
      code: 'upstream_unreachable',
    },
  };
}

export function upstreamRedirectBody(context: UpstreamFailureContext, status: number): ErrorResponse {
  return {
    error: {
      message:
        `The upstream ${context.upstreamHost} answered ${describe(context)} with a redirect (${status}), which ` +
        'Runboard does not follow so the key never leaves for another address. Check OPENAI_BASE_URL.',
      type: 'server_error',
      param: null,
      code: 'upstream_redirect',
    },
  };
}

/** A short, key-free reason for a network failure: the error code (ECONNREFUSED, ENOTFOUND…) when there is one. */
export function networkFailureReason(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  return error instanceof Error ? error.name : 'network error';
}

function parseApiError(bodyText: string): ApiError | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    return null;
  }
  const error = (parsed as { error?: unknown } | null)?.error;
  if (typeof error !== 'object' || error === null) return null;
  const { message, type, param, code } = error as Record<string, unknown>;
  if (typeof message !== 'string') return null;
  return {
    message,
    type: typeof type === 'string' ? type : 'invalid_request_error',
    param: typeof param === 'string' ? param : null,
    code: typeof code === 'string' ? code : null,
  };
}

function describe(context: UpstreamFailureContext): string {
  return `${context.method} /v1/${context.template}`;
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
