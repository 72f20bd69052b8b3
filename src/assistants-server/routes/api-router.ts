import { Hono } from 'hono';
import { BACKEND_TIME_HEADER } from '../../shared/runboard-types';
import type { Logger } from '../../platform/logger';
import { EmulatorApiError } from '../api-error';
import { faultInjection, type FaultSleep } from '../emulation/faults/fault-injection';
import type { FaultRegistry } from '../emulation/faults/fault-registry';
import { apiKeyAuth } from './api-key-auth';
import { assistantRoutes } from './assistant-routes';
import { errorHandler } from './error-handler';
import { fileRoutes } from './file-routes';
import { messageRoutes } from './message-routes';
import type { RouteContext } from './route-context';
import { runRoutes } from './run-routes';
import { threadRoutes } from './thread-routes';
import { fileBatchRoutes, vectorStoreFileRoutes } from './vector-store-file-routes';
import { vectorStoreRoutes } from './vector-store-routes';
import { excerpt } from '../../platform/request-input';

/** The emulator's `/v1`: assistants, threads, messages, runs, run steps, files and vector stores. */
export function createApiRouter(
  context: RouteContext,
  options: { apiKey: string | null; logger: Logger; faults: FaultRegistry; faultSleep?: FaultSleep },
): Hono {
  const api = new Hono();
  api.onError(errorHandler(options.logger));
  // Injected faults come first, as a flaky network or upstream would: before auth and before any work.
  api.use(faultInjection(options.faults, options.faultSleep));
  // The emulator's "now" (ahead of the wall clock once advanced), so the dashboard counts time as the emulator does.
  // After the faults: an injected failure stands for the network or an upstream, not for an emulator answer.
  api.use(async (c, next) => {
    await next();
    c.res.headers.set(BACKEND_TIME_HEADER, String(context.clock.now()));
  });
  api.use(apiKeyAuth(options.apiKey));
  // Catch up on read: the scheduler's timer applies due transitions off the request path; a request about one thread
  // first applies what is due for that thread only (bounded), so its answer is right even when the timer has not
  // fired yet. Nothing else about a thread depends on time.
  api.use('/threads/:thread_id/*', async (c, next) => {
    await context.lifecycle.catchUpThread(c.req.param('thread_id'));
    await next();
  });

  api.route('/assistants', assistantRoutes(context));
  api.route('/threads/:thread_id/messages', messageRoutes(context));
  api.route('/threads/:thread_id/runs', runRoutes(context));
  api.route('/threads', threadRoutes(context));
  api.route('/files', fileRoutes(context));
  api.route('/vector_stores/:vector_store_id/files', vectorStoreFileRoutes(context));
  api.route('/vector_stores/:vector_store_id/file_batches', fileBatchRoutes(context));
  api.route('/vector_stores', vectorStoreRoutes(context));

  api.all('*', (c) => {
    throw new EmulatorApiError(404, `Invalid URL (${c.req.method} ${excerpt(c.req.path)})`);
  });
  return api;
}
