import { Hono } from 'hono';
import type { Thread } from '../../shared/openai-types';
import { createThread } from '../lifecycle/create-thread';
import { readJsonObject } from '../validation/json-body';
import { parseListQuery } from '../validation/list-query';
import { parseCreateThreadAndRun } from '../validation/run-request';
import { parseCreateThread } from '../validation/thread-request';
import { listResponse } from './list-envelope';
import { findThread } from './lookups';
import type { RouteContext } from './route-context';
import { runResponse } from './run-response';

export function threadRoutes(context: RouteContext): Hono {
  const { store, clock, lifecycle, settings } = context;
  const routes = new Hono();

  routes.post('/', async (c) => {
    const request = parseCreateThread(await readJsonObject(c));
    return c.json(createThread(store, request, clock.nowSeconds()));
  });

  /** An emulator extension: OpenAI has no way to list threads. Newest first by default, like every list. */
  routes.get('/', (c) => {
    const query = parseListQuery(c.req.query(), 'thread');
    return listResponse<Thread>(c, store.threads.page(query), query);
  });

  routes.post('/runs', async (c) => {
    const { thread: threadRequest, ...runRequest } = parseCreateThreadAndRun(await readJsonObject(c));
    const at = clock.now();
    // One transaction: a refused run (unknown assistant, bad scenario) leaves no thread behind.
    const run = store.transaction(() => {
      const thread = createThread(store, threadRequest, Math.floor(at / 1000));
      return lifecycle.createRun(thread.id, runRequest, at);
    });
    return runResponse(c, run, settings.timeScale);
  });

  routes.get('/:thread_id', (c) => c.json(findThread(store, c.req.param('thread_id'))));

  return routes;
}
