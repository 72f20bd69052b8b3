import { Hono } from 'hono';
import type { Thread } from '../../shared/openai-types';
import { createThread } from '../lifecycle/create-thread';
import { deleteThread } from '../lifecycle/delete-thread';
import { readJsonObject } from '../validation/json-body';
import { parseListQuery } from '../validation/list-query';
import { parseCreateThreadAndRun } from '../validation/run-request';
import { parseCreateThread, parseModifyThread } from '../validation/thread-request';
import { listResponse } from './list-envelope';
import { findThread } from './lookups';
import type { RouteContext } from './route-context';
import { runResponse } from './run-response';
import { newRunScope } from './stream-scopes';

export function threadRoutes(context: RouteContext): Hono {
  const { store, clock, lifecycle, settings, streams } = context;
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
    const createBoth = () =>
      store.transaction(() => {
        const thread = createThread(store, threadRequest, Math.floor(at / 1000));
        return lifecycle.createRun(thread.id, runRequest, at);
      });
    if (runRequest.stream) {
      return streams.start(() => newRunScope(createBoth(), { announceThread: true }), c.req.raw.signal);
    }
    return runResponse(c, createBoth(), settings.timeScale);
  });

  routes.get('/:thread_id', (c) => c.json(findThread(store, c.req.param('thread_id'))));

  /** Metadata replaces the whole map, as on runs; allowed while a run is active (it does not touch the conversation). */
  routes.post('/:thread_id', async (c) => {
    const thread = findThread(store, c.req.param('thread_id'));
    const changes = parseModifyThread(await readJsonObject(c));
    const updated: Thread = {
      ...thread,
      tool_resources: changes.tool_resources ?? thread.tool_resources,
      metadata: changes.metadata ?? thread.metadata,
    };
    store.threads.update(updated);
    return c.json(updated);
  });

  routes.delete('/:thread_id', (c) => {
    const thread = findThread(store, c.req.param('thread_id'));
    lifecycle.stopActiveWork(thread.id);
    return c.json(deleteThread(store, thread));
  });

  return routes;
}
