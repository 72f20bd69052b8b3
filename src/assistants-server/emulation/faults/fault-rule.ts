import type { ErrorResponse } from '../../../shared/openai-types';
import { badRequest } from '../../api-error';
import { describeType } from '../../validation/openai-refusals';
import { excerpt } from '../../../platform/request-input';

/** One fault to inject into `/v1` answers, as stored and reported by `GET /api/emulator/faults`. */
export interface FaultRule {
  id: string;
  /** An HTTP method, or `*` for any. */
  method: string;
  // Path pattern: `*` matches one segment, `**` any number of segments (`/v1/threads/*/runs`, `/v1/**`).
  path: string;
  /** 0–1: the chance that a matching request is hit, drawn from the rule's own seeded generator. */
  probability: number;
  /** Seed of the rule's generator: the same seed and the same requests hit the same requests. */
  seed: number;
  /** Apply this many times, then stop; null applies for ever. */
  count: number | null;
  /** Waited before the request goes on (or before the error/hang/drop/malformed answer). */
  latency_ms: number;
  /** What happens after the latency; `latency` alone lets the request through. */
  effect: FaultEffect;
  /** Requests this rule has hit so far. */
  applied: number;
}

export type FaultEffect =
  | { kind: 'latency' }
  | {
      kind: 'error';
      status: number;
      body: ErrorResponse;
      retry_after: number | null;
      retry_after_ms: number | null;
    }
  | { kind: 'hang'; hang_ms: number }
  | { kind: 'drop_connection' }
  | { kind: 'malformed_json' };

const FIELDS = [
  'method',
  'path',
  'probability',
  'seed',
  'count',
  'latency_ms',
  'status',
  'error',
  'retry_after',
  'retry_after_ms',
  'hang',
  'hang_ms',
  'drop_connection',
  'malformed_json',
] as const;

const METHODS = ['*', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
/** A hang ends (with a dropped connection) after this long at most, so no request is held for ever. */
export const DEFAULT_HANG_MS = 120_000;
const MAX_DELAY_MS = 600_000;

/**
 * Reads a rule as a person writes it (admin route body or one entry of `RUNBOARD_FAULTS`):
 * `{"method":"GET","path":"/v1/threads/{*}/runs","status":503,"probability":0.3}` (`{*}` meaning `*`).
 * Refusals in OpenAI's error shape.
 */
export function parseFaultRule(input: unknown, id: string, defaultSeed: number): FaultRule {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw badRequest(`Invalid fault rule: expected an object, but got ${describeType(input)} instead.`);
  }
  const body = input as Record<string, unknown>;
  for (const key of Object.keys(body)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      throw badRequest(
        `Unrecognized fault rule field: ${excerpt(key)}. Known fields: ${FIELDS.join(', ')}.`,
        excerpt(key),
      );
    }
  }
  const method = optionalString(body, 'method')?.toUpperCase() ?? '*';
  if (!METHODS.includes(method)) {
    throw badRequest(
      `Invalid 'method': expected one of ${METHODS.join(', ')}, but got '${excerpt(String(method))}'.`,
      'method',
    );
  }
  const path = optionalString(body, 'path');
  if (path === undefined)
    throw badRequest("Missing required parameter: 'path'.", 'path', 'missing_required_parameter');
  if (!path.startsWith('/')) {
    throw badRequest(
      `Invalid 'path': expected a pattern starting with '/', such as '/v1/threads/*/runs'.`,
      'path',
    );
  }

  const effects = (['status', 'hang', 'drop_connection', 'malformed_json'] as const).filter(
    (key) => body[key] !== undefined && body[key] !== false,
  );
  if (effects.length > 1) {
    throw badRequest(
      `A fault rule takes one of status, hang, drop_connection, malformed_json; got ${effects.join(', ')}.`,
    );
  }
  for (const key of ['hang', 'drop_connection', 'malformed_json'] as const) optionalBoolean(body, key);
  if (body.error !== undefined && body.status === undefined) {
    throw badRequest("'error' needs a 'status'.", 'error');
  }
  if ((body.retry_after !== undefined || body.retry_after_ms !== undefined) && body.status === undefined) {
    throw badRequest("'retry_after' and 'retry_after_ms' need a 'status'.", 'retry_after');
  }
  if (body.hang_ms !== undefined && body.hang !== true)
    throw badRequest("'hang_ms' needs 'hang': true.", 'hang_ms');

  const latencyMs = number(body, 'latency_ms', 0, MAX_DELAY_MS, true) ?? 0;
  const effect = readEffect(body, effects[0]);
  if (effect.kind === 'latency' && latencyMs === 0) {
    throw badRequest(
      'A fault rule needs an effect: status, latency_ms, hang, drop_connection or malformed_json.',
      'status',
    );
  }
  return {
    id,
    method,
    path,
    probability: number(body, 'probability', 0, 1, false) ?? 1,
    seed: number(body, 'seed', 0, 2 ** 32 - 1, true) ?? defaultSeed,
    count: number(body, 'count', 1, Number.MAX_SAFE_INTEGER, true) ?? null,
    latency_ms: latencyMs,
    effect,
    applied: 0,
  };
}

function readEffect(body: Record<string, unknown>, kind: string | undefined): FaultEffect {
  switch (kind) {
    case 'status': {
      const status = number(body, 'status', 400, 599, true)!;
      return {
        kind: 'error',
        status,
        body: readErrorBody(body.error, status),
        retry_after: number(body, 'retry_after', 0, 86_400, false) ?? null,
        retry_after_ms: number(body, 'retry_after_ms', 0, 86_400_000, true) ?? null,
      };
    }
    case 'hang':
      return { kind: 'hang', hang_ms: number(body, 'hang_ms', 1, MAX_DELAY_MS, true) ?? DEFAULT_HANG_MS };
    case 'drop_connection':
      return { kind: 'drop_connection' };
    case 'malformed_json':
      return { kind: 'malformed_json' };
    default:
      return { kind: 'latency' };
  }
}

/** OpenAI's wording for the statuses a flaky backend answers; any other status gets a generic message. */
export function defaultErrorBody(status: number): ErrorResponse {
  if (status === 429) {
    return error(
      'Rate limit reached for requests. Please try again later.',
      'requests',
      'rate_limit_exceeded',
    );
  }
  if (status === 503)
    return error('The engine is currently overloaded, please try again later.', 'server_error', null);
  if (status >= 500) {
    return error(
      'The server had an error while processing your request. Sorry about that!',
      'server_error',
      null,
    );
  }
  return error(`Injected fault: the emulator answered ${status}.`, 'invalid_request_error', null);
}

function readErrorBody(input: unknown, status: number): ErrorResponse {
  const fallback = defaultErrorBody(status);
  if (input === undefined || input === null) return fallback;
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw badRequest(
      `Invalid type for 'error': expected an object, but got ${describeType(input)} instead.`,
      'error',
    );
  }
  const given = input as Record<string, unknown>;
  const text = (key: string, fallbackValue: string | null) => {
    const value = given[key];
    if (value === undefined) return fallbackValue;
    if (value === null || typeof value === 'string') return value;
    throw badRequest(
      `Invalid type for 'error.${key}': expected a string or null.`,
      `error.${key}`,
      'invalid_type',
    );
  };
  return {
    error: {
      message: text('message', fallback.error.message) ?? fallback.error.message,
      type: text('type', fallback.error.type) ?? fallback.error.type,
      param: text('param', null),
      code: text('code', fallback.error.code),
    },
  };
}

function error(message: string, type: string, code: string | null): ErrorResponse {
  return { error: { message, type, param: null, code } };
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw badRequest(
      `Invalid type for '${key}': expected a string, but got ${describeType(value)} instead.`,
      key,
      'invalid_type',
    );
  }
  return value;
}

function optionalBoolean(body: Record<string, unknown>, key: string): void {
  const value = body[key];
  if (value !== undefined && typeof value !== 'boolean') {
    throw badRequest(
      `Invalid type for '${key}': expected a boolean, but got ${describeType(value)} instead.`,
      key,
      'invalid_type',
    );
  }
}

function number(
  body: Record<string, unknown>,
  key: string,
  min: number,
  max: number,
  integer: boolean,
): number | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    const expected = integer ? 'an integer' : 'a number';
    throw badRequest(
      `Invalid type for '${key}': expected ${expected}, but got ${describeType(value)} instead.`,
      key,
      'invalid_type',
    );
  }
  if (value < min || value > max) {
    throw badRequest(
      `Invalid '${key}': expected a value from ${min} to ${max}, but got ${value} instead.`,
      key,
    );
  }
  return value;
}

/** Matches a request path against a rule's pattern, segment by segment; the query string plays no part. */
export function pathMatches(pattern: string, path: string): boolean {
  return matchSegments(split(pattern), split(path));
}

function split(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function matchSegments(pattern: string[], path: string[]): boolean {
  if (pattern.length === 0) return path.length === 0;
  const [head, ...rest] = pattern;
  if (head === '**') {
    for (let skip = 0; skip <= path.length; skip++) if (matchSegments(rest, path.slice(skip))) return true;
    return false;
  }
  if (path.length === 0) return false;
  return (head === '*' || head === path[0]) && matchSegments(rest, path.slice(1));
}
