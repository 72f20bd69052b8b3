import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorResponse } from '../../shared/openai-types';
import type { ProxyConfig } from '../config';
import type { Logger } from '../../platform/logger';
import { isFromRunboardPage } from '../security/origin-check';
import { openAiError } from '../security/openai-error';
import { forwardedQuery, matchForwardedRoute } from './forwarded-routes';
import { relayedResponseHeaders, upstreamRequestHeaders, upstreamUrl } from './forwarded-headers';
import { relayEventStream } from './event-stream-relay';
import { boundedUpload, readBoundedText, relayBytes } from './streamed-bodies';
import { fileTooLargeMessage } from '../../assistants-server/files/file-bytes';
import { MASKED_SECRET, maskSecret } from '../../platform/secret-mask';
import {
  hasTraffic,
  MAX_OBSERVED_ANSWER_CHARS,
  trafficOfAnswer,
  trafficOfEvents,
  type ForwardedExchange,
  type SeenTraffic,
  type TrafficWatcher,
} from './forwarded-traffic';
import {
  networkFailureReason,
  upstreamErrorBody,
  upstreamRedirectBody,
  upstreamStreamBrokenError,
  upstreamStreamFrameTooLargeError,
  upstreamStreamIdleError,
  upstreamTimeoutBody,
  upstreamAnswerTooLargeBody,
  upstreamUnreachableBody,
  type UpstreamFailureContext,
} from './upstream-failures';

/** Where the proxy is mounted; upstream paths are relative to the configured base URL instead. */
const API_PREFIX = '/v1';
const NULL_BODY_STATUSES = new Set([204, 205]);
/** What a file upload's body may carry beside the file: its part headers, the boundaries, `purpose`. */
const MAX_FORM_FIELDS_BYTES = 64 * 1024;

/**
 * Proxy mode: forwards the Assistants routes Runboard serves (and nothing else) to OPENAI_BASE_URL with the server's
 * key; server-sent event streams pass through as they arrive (see event-stream-relay).
 * Mounted at /v1 behind the perimeter, which has already checked Host, Origin, token and body size.
 */
export function createProxyApi(
  config: ProxyConfig,
  logger: Logger,
  watcher: TrafficWatcher | null = null,
): Hono {
  const api = new Hono();
  api.all('*', (c) => forward(c, config, logger, watcher));
  return api;
}

async function forward(
  c: Context,
  config: ProxyConfig,
  logger: Logger,
  watcher: TrafficWatcher | null,
): Promise<Response> {
  // The raw, still percent-encoded path: ids are checked before any decoding can turn %2F into a slash.
  const url = new URL(c.req.url);
  const rawPath = url.pathname.startsWith(API_PREFIX + '/')
    ? url.pathname.slice(API_PREFIX.length)
    : url.pathname;
  const route = matchForwardedRoute(c.req.method, rawPath);
  if (route.kind === 'unknown') {
    return openAiError(
      c,
      404,
      `Runboard's proxy does not forward ${c.req.method} ${API_PREFIX}${safeForMessage(rawPath)}: only the Assistants ` +
        'routes Runboard serves are forwarded, with ids made of letters, digits, _ and -.',
      'route_not_forwarded',
    );
  }
  if (route.kind === 'method-not-forwarded') {
    return openAiError(
      c,
      403,
      `Runboard's proxy does not forward ${c.req.method} ${API_PREFIX}/${route.template}: Runboard does not serve it.`,
      'route_not_forwarded',
    );
  }

  const failureContext: UpstreamFailureContext = {
    upstreamHost: config.baseUrl.host,
    method: route.method,
    template: route.template,
    isRunsRoute: route.isRunsRoute,
  };
  const target = upstreamUrl(config, route.upstreamPath + forwardedQuery(url.search));

  const timeout = new AbortController();
  let timer = setTimeout(() => timeout.abort(), config.timeoutMs);
  // An upload bounds each quiet wait rather than the whole request (512 MB take longer than the timeout to send).
  const restartTimer = () => {
    clearTimeout(timer);
    timer = setTimeout(() => timeout.abort(), config.timeoutMs);
  };
  // The browser going away aborts the upstream request too.
  const signal = AbortSignal.any([timeout.signal, c.req.raw.signal]);
  const logFields = { method: route.method, route: route.template, upstream: config.baseUrl.host };

  // What the exchange shows of the upstream's objects goes to the watcher (the index), as it passes.
  const observe = (traffic: () => SeenTraffic) => {
    if (!watcher) return;
    try {
      const seen = traffic();
      if (hasTraffic(seen)) watcher.saw(seen);
    } catch (error) {
      logger.warn('proxy: could not index what passed through', { ...logFields, reason: String(error) });
    }
  };

  const maxUploadBytes = config.maxFileBytes + MAX_FORM_FIELDS_BYTES;
  if (route.streamedUpload && Number(c.req.header('content-length') ?? 0) > maxUploadBytes) {
    clearTimeout(timer);
    // The body is left unread and the connection closed after the answer: draining 512 MB would serve no one.
    c.header('connection', 'close');
    return openAiError(c, 413, fileTooLargeMessage(config.maxFileBytes), 'file_too_large', 'file');
  }
  const upload =
    route.streamedUpload && c.req.raw.body
      ? boundedUpload(c.req.raw.body, maxUploadBytes, restartTimer)
      : null;

  try {
    const requestBody = upload
      ? upload.stream
      : route.method === 'POST'
        ? await c.req.arrayBuffer()
        : undefined;
    const exchange: ForwardedExchange = {
      method: route.method,
      template: route.template,
      segments: route.upstreamPath.split('/'),
      // Only create-thread-and-run says something in its body (the new thread's metadata).
      requestBody:
        route.template === 'threads/runs' && requestBody instanceof ArrayBuffer
          ? parseJson(requestBody)
          : null,
      streamed: false,
      fromDashboard: isFromRunboardPage(c),
    };
    const upstream = await fetch(target, {
      method: route.method,
      headers: upstreamRequestHeaders(c.req.raw.headers, config),
      body: requestBody,
      // A streamed body needs half duplex (Node's fetch refuses one without it).
      ...(upload ? { duplex: 'half' } : {}),
      redirect: 'manual',
      signal,
    } as RequestInit);
    const headers = relayedResponseHeaders(upstream.headers);

    if (upstream.status >= 300 && upstream.status < 400) {
      await upstream.body?.cancel();
      logger.warn('upstream redirected', { ...logFields, status: upstream.status });
      return failure(c, 502, upstreamRedirectBody(failureContext, upstream.status));
    }
    if (upstream.status >= 400) {
      const read = await readBoundedText(upstream, config.maxAnswerBytes);
      if (read === null) return answerTooLarge();
      const text = maskSecret(read, config.apiKey, MASKED_SECRET);
      const body = upstreamErrorBody(upstream.status, text, failureContext);
      logger.warn('upstream answered an error', {
        ...logFields,
        status: upstream.status,
        code: body.error.code,
      });
      headers.set('content-type', 'application/json');
      return new Response(JSON.stringify(body), { status: upstream.status, headers });
    }
    if (upstream.body && headers.get('content-type')?.startsWith('text/event-stream')) {
      // A stream may run longer than the timeout: from here it bounds each wait for the upstream's next bytes.
      clearTimeout(timer);
      headers.set('cache-control', 'no-cache');
      const body = relayEventStream(upstream.body, {
        secret: config.apiKey,
        idleTimeoutMs: config.timeoutMs,
        abortUpstream: () => timeout.abort(),
        idleError: () => {
          logger.warn('upstream stream went quiet; ended it', { ...logFields, timeoutMs: config.timeoutMs });
          return upstreamStreamIdleError(failureContext, config.timeoutMs);
        },
        brokenError: (error) => {
          const reason = networkFailureReason(error);
          logger.warn('upstream broke off a stream', { ...logFields, reason });
          return upstreamStreamBrokenError(failureContext, reason);
        },
        maxFrameBytes: config.maxFrameBytes,
        frameTooLargeError: () => {
          logger.warn('upstream sent an overlong streamed event; ended the stream', {
            ...logFields,
            maxFrameBytes: config.maxFrameBytes,
          });
          return upstreamStreamFrameTooLargeError(failureContext, config.maxFrameBytes);
        },
        onEvents: (text) => observe(() => trafficOfEvents({ ...exchange, streamed: true }, text)),
        onClientGone: () => logger.debug('client left a stream; upstream request aborted', logFields),
      });
      return new Response(body, { status: upstream.status, headers });
    }
    if (route.streamedBytes && upstream.body) {
      // A file's content: relayed as it arrives, each wait bounded by the timeout, the whole by the file bound.
      clearTimeout(timer);
      const body = relayBytes(upstream.body, {
        maxBytes: config.maxFileBytes,
        idleTimeoutMs: config.timeoutMs,
        abortUpstream: () => timeout.abort(),
        onFailure: (reason) => logger.warn('ended a relayed file content', { ...logFields, reason }),
      });
      return new Response(body, { status: upstream.status, headers });
    }
    const read = await readBoundedText(upstream, config.maxAnswerBytes);
    if (read === null) return answerTooLarge();
    const text = maskSecret(read, config.apiKey, MASKED_SECRET);
    if (text.length <= MAX_OBSERVED_ANSWER_CHARS && headers.get('content-type')?.includes('json'))
      observe(() => trafficOfAnswer(exchange, JSON.parse(text)));
    // 204 and 205 may carry no body at all, not even an empty one.
    return new Response(NULL_BODY_STATUSES.has(upstream.status) ? null : text, {
      status: upstream.status,
      headers,
    });
  } catch (error) {
    if (c.req.raw.signal.aborted) {
      logger.debug('browser went away; upstream request aborted', logFields);
      return openAiError(
        c,
        499 as ContentfulStatusCode,
        'The request was abandoned by the client.',
        'client_closed',
      );
    }
    if (upload?.passedBound()) {
      logger.warn('refused an upload over the file bound', {
        ...logFields,
        maxFileBytes: config.maxFileBytes,
      });
      c.header('connection', 'close');
      return openAiError(c, 413, fileTooLargeMessage(config.maxFileBytes), 'file_too_large', 'file');
    }
    if (timeout.signal.aborted) {
      logger.warn('upstream timed out', { ...logFields, timeoutMs: config.timeoutMs });
      return failure(c, 504, upstreamTimeoutBody(failureContext, config.timeoutMs));
    }
    const reason = networkFailureReason(error);
    logger.warn('upstream unreachable', { ...logFields, reason });
    return failure(c, 502, upstreamUnreachableBody(failureContext, reason));
  } finally {
    clearTimeout(timer);
  }

  function answerTooLarge(): Response {
    logger.warn('upstream answer over the bound; not relayed', {
      ...logFields,
      maxAnswerBytes: config.maxAnswerBytes,
    });
    return failure(c, 502, upstreamAnswerTooLargeBody(failureContext, config.maxAnswerBytes));
  }
}

function parseJson(body: ArrayBuffer): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch {
    return null;
  }
}

function failure(c: Context, status: ContentfulStatusCode, body: ErrorResponse): Response {
  return c.json(body, status);
}

/** Echo a refused path without control characters (a CRLF in it must not reach a log line or a header). */
function safeForMessage(rawPath: string): string {
  return rawPath.slice(0, 200).replace(/[^\x21-\x7e]/g, '?');
}
