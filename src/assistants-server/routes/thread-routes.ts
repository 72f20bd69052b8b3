import { Hono } from 'hono';
import type { Thread } from '../../shared/openai-types';
import { createThread } from '../lifecycle/create-thread';
import { deleteThread } from '../lifecycle/delete-thread';
import { listQuery } from '../../shared/requests/list-queries';
import { createThreadAndRunRequest } from '../../shared/requests/run-requests';
import { createThreadRequest, modifyThreadRequest } from '../../shared/requests/thread-requests';
import { jsonBody, pathIds, query } from '../validation/v1-validators';
import { listResponse } from './list-envelope';
import { findThread } from './lookups';
import type { RouteContext } from './route-context';
import { runResponse } from './run-response';
import { newRunScope } from './stream-scopes';
import { threadAttachments } from '../vector-stores/thread-attachments';
import { withHelperVectorStores } from '../vector-stores/tool-resource-stores';
import type { StoreTransaction } from '../store/assistants-store';
import type { CreateThreadRequest } from '../../shared/openai-types';

export function threadRoutes(context: RouteContext): Hono {
  const { store, clock, lifecycle, settings, streams } = context;
  const routes = new Hono();
  const attachments = threadAttachments(context.vectorStoreFiles, clock);

  /**
   * A thread with its messages, its `vector_stores` helper made into a store and its messages' attachments put in
   * the thread's store; `prefix` is where the thread sits in the request (`thread.` in create-and-run).
   */
  const createWithFiles = async (
    tx: StoreTransaction,
    request: CreateThreadRequest,
    createdAt: number,
    prefix: '' | 'thread.',
  ) => {
    const toolResources = await withHelperVectorStores(
      tx,
      context.vectorStoreFiles,
      clock,
      request.tool_resources,
      `${prefix}tool_resources`,
    );
    return createThread(tx, { ...request, tool_resources: toolResources }, createdAt, {
      files: (thread, files, path) => attachments(tx, thread, files, path),
      path: `${prefix}messages`,
    });
  };

  routes.post('/', jsonBody(createThreadRequest), async (c) => {
    const request = c.req.valid('json');
    const createdAt = clock.nowSeconds();
    return c.json(await store.transaction((tx) => createWithFiles(tx, request, createdAt, '')));
  });

  /** An emulator extension: OpenAI has no way to list threads. Newest first by default, like every list. */
  routes.get('/', query(listQuery('thread')), async (c) => {
    const list = c.req.valid('query');
    return listResponse<Thread>(c, await store.threads.page(list), list);
  });

  routes.post('/runs', jsonBody(createThreadAndRunRequest), async (c) => {
    const { thread: threadRequest, ...runRequest } = c.req.valid('json');
    const at = clock.now();
    // One transaction: a refused run (unknown assistant, bad scenario) leaves no thread behind.
    const createBoth = () =>
      store.transaction(async (tx) => {
        const thread = await createWithFiles(tx, threadRequest ?? {}, Math.floor(at / 1000), 'thread.');
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

  routes.get('/:thread_id', pathIds, async (c) => c.json(await findThread(store, c.req.param('thread_id'))));

  /** Metadata replaces the whole map, as on runs; allowed while a run is active (it does not touch the conversation). */
  routes.post('/:thread_id', pathIds, jsonBody(modifyThreadRequest), async (c) => {
    const thread = await findThread(store, c.req.param('thread_id'));
    const changes = c.req.valid('json');
    const updated: Thread = {
      ...thread,
      tool_resources: changes.tool_resources ?? thread.tool_resources,
      metadata: changes.metadata ?? thread.metadata,
    };
    await store.threads.update(updated);
    return c.json(updated);
  });

  routes.delete('/:thread_id', pathIds, async (c) => {
    const thread = await findThread(store, c.req.param('thread_id'));
    await lifecycle.stopActiveWork(thread.id);
    return c.json(await deleteThread(store, thread));
  });

  return routes;
}
