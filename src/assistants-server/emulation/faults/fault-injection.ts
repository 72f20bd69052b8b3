import type { MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { FaultRegistry } from './fault-registry';
import type { FaultRule } from './fault-rule';

/** Waits `ms`, or less if the request goes away first. */
export type FaultSleep = (ms: number, signal: AbortSignal) => Promise<void>;

const sleepUnlessAborted: FaultSleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });

interface NodeSocketHolder {
  incoming?: { socket?: { destroy(): void } };
}

/**
 * Put first on `/v1`: a request a fault rule hits gets its latency, then an error answer, a hang, a dropped
 * connection or a truncated JSON body instead of (or, for latency and malformed JSON, around) the real answer.
 */
export function faultInjection(
  registry: FaultRegistry,
  sleep: FaultSleep = sleepUnlessAborted,
): MiddlewareHandler {
  return async (c, next) => {
    const rule = registry.pick(c.req.method, c.req.path);
    if (!rule) return next();
    const signal = c.req.raw.signal;
    if (rule.latency_ms > 0) await sleep(rule.latency_ms, signal);
    const { effect } = rule;
    switch (effect.kind) {
      case 'latency':
        return next();
      case 'error': {
        const headers: Record<string, string> = { 'x-runboard-fault': rule.id };
        if (effect.retry_after !== null) headers['retry-after'] = String(effect.retry_after);
        if (effect.retry_after_ms !== null) headers['retry-after-ms'] = String(effect.retry_after_ms);
        return c.json(effect.body, effect.status as ContentfulStatusCode, headers);
      }
      case 'hang':
        await sleep(effect.hang_ms, signal);
        return dropConnection(c.env, rule);
      case 'drop_connection':
        return dropConnection(c.env, rule);
      case 'malformed_json': {
        await next();
        const text = await c.res.text();
        const headers = new Headers(c.res.headers);
        headers.delete('content-length');
        headers.set('x-runboard-fault', rule.id);
        c.res = new Response(text.slice(0, Math.floor(text.length / 2)), { status: c.res.status, headers });
        return;
      }
    }
  };
}

/**
 * Under @hono/node-server the socket is destroyed: the client sees the connection reset with no answer at all.
 * Elsewhere (in-process `app.request`) a network-error Response is the nearest equivalent.
 */
function dropConnection(env: unknown, rule: FaultRule): Response {
  const socket = (env as NodeSocketHolder | undefined)?.incoming?.socket;
  if (socket) {
    socket.destroy();
    return new Response(null, { status: 204, headers: { 'x-runboard-fault': rule.id } });
  }
  return Response.error();
}
