import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../../platform/logger';
import { isWriteFromRunboardPage } from '../security/origin-check';
import { STREAMED_UPLOAD_PATH } from '../security/request-body-limit';
import { classifyWrite } from './audit-action';
import type { AuditStore } from './audit-store';
import { summarizeWrite } from './audit-summary';
import { watchStreamedRun } from './streamed-run';

const WRITE_METHODS = new Set(['POST', 'DELETE']);
const MAX_ERROR = 300;

/**
 * Mounted on /v1: records every write (create, modify, cancel, submit, delete) with the status Runboard answered,
 * and who sent it as the server knows it: a Runboard page (the perimeter verified the browser's Origin) or an API
 * client, never what a client says of itself.
 * The request body is read from a copy, so the emulator or the proxy still gets the original stream. Entries are
 * stamped on the backend's clock (`now`, ms), the one its runs' times are on.
 */
export function auditTrail(
  store: AuditStore,
  logger: Logger,
  now: () => number = Date.now,
): MiddlewareHandler {
  return async (c, next) => {
    if (!WRITE_METHODS.has(c.req.method)) return next();
    // A file upload is not read here: its body (up to 512 MB) streams to the route as it arrives, and the entry's
    // summary is about JSON requests only. Every other write's body was bounded by the perimeter (1 MiB).
    const requestText =
      c.req.method === 'POST' && c.req.path === STREAMED_UPLOAD_PATH
        ? ''
        : await c.req.raw
            .clone()
            .text()
            .catch(() => '');
    await next();
    try {
      const pathBelowV1 = c.req.path.replace(/^\/v1/, '');
      const write = classifyWrite(c.req.method, pathBelowV1);
      // Only a JSON answer is cloned: cloning a stream (`stream: true`) would tee it, and a client's disconnect
      // would then never reach the stream's source.
      const responseBody = isJson(c.res) ? await readJson(c.res.clone()) : null;
      const created = write.action === 'create_run' || write.action === 'create_thread_and_run';
      const ok = c.res.status < 400;
      const entryId = await store.record({
        at: Math.floor(now() / 1000),
        method: c.req.method,
        path: c.req.path,
        action: write.action,
        thread_id:
          write.threadId ??
          (ok ? stringField(responseBody, write.action === 'create_thread' ? 'id' : 'thread_id') : null),
        run_id: write.runId ?? (ok && created ? stringField(responseBody, 'id') : null),
        status: c.res.status,
        source: isWriteFromRunboardPage(c) ? 'dashboard' : 'api',
        summary: summarizeWrite(write.action, parseJson(requestText)),
        error: ok ? null : errorMessage(responseBody),
      });
      // A streamed create answers with events: its run is named by the first of them.
      const stream = c.res.body;
      if (ok && created && !write.runId && isEventStream(c.res) && stream) {
        c.res = new Response(
          watchStreamedRun(stream, (run) => {
            store
              .identifyRun(entryId, run.runId, run.threadId)
              .catch((error: unknown) =>
                logger.warn('audit entry not completed', { path: c.req.path, error: String(error) }),
              );
          }),
          c.res,
        );
      }
    } catch (error) {
      // The audit trail must never turn a served request into a failure.
      logger.warn('audit entry not recorded', { path: c.req.path, error: String(error) });
    }
  };
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

function isEventStream(response: Response): boolean {
  return response.headers.get('content-type')?.includes('text/event-stream') ?? false;
}

function isJson(response: Response): boolean {
  return response.headers.get('content-type')?.includes('json') ?? false;
}

async function readJson(response: Response): Promise<unknown> {
  return parseJson(await response.text().catch(() => ''));
}

function stringField(body: unknown, name: string): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : null;
}

function errorMessage(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const error = (body as { error?: { message?: unknown } }).error;
  if (!error || typeof error.message !== 'string') return null;
  return error.message.length > MAX_ERROR ? `${error.message.slice(0, MAX_ERROR - 1)}…` : error.message;
}
