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
    const createdAt = clock.nowSeconds();
    return c.json(await store.transaction((tx) => createThread(tx, request, createdAt)));
  });

  /** An emulator extension: OpenAI has no way to list threads. Newest first by default, like every list. */
  routes.get('/', async (c) => {
    const query = parseListQuery(c.req.query(), 'thread');
    return listResponse<Thread>(c, await store.threads.page(query), query);
  });

  routes.post('/runs', async (c) => {
    const { thread: threadRequest, ...runRequest } = parseCreateThreadAndRun(await readJsonObject(c));
    const at = clock.now();
    // One transaction: a refused run (unknown assistant, bad scenario) leaves no thread behind.
    const createBoth = () =>
      store.transaction(async (tx) => {
        const thread = await createThread(tx, threadRequest, Math.floor(at / 1000));
        return lifecycle.createRun(thread.id, runRequest, at);
      });
    if (runRequest.stream) {
      return streams.start(
        async () => newRunScope(await createBoth(), { announceThread: true }),
        c.req.raw.signal,
      );
    }
    return runResponse(c, await createBoth(), settings.timeScale);
  });

  routes.get('/:thread_id', async (c) => c.json(await findThread(store, c.req.param('thread_id'))));

  /** Metadata replaces the whole map, as on runs; allowed while a run is active (it does not touch the conversation). */
  routes.post('/:thread_id', async (c) => {
    const thread = await findThread(store, c.req.param('thread_id'));
    const changes = parseModifyThread(await readJsonObject(c));
    const updated: Thread = {
      ...thread,
      tool_resources: changes.tool_resources ?? thread.tool_resources,
      metadata: changes.metadata ?? thread.metadata,
    };
    await store.threads.update(updated);
    return c.json(updated);
  });

  routes.delete('/:thread_id', async (c) => {
    const thread = await findThread(store, c.req.param('thread_id'));
    await lifecycle.stopActiveWork(thread.id);
    return c.json(await deleteThread(store, thread));
  });

  return routes;
}
