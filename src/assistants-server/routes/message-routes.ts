import { Hono } from 'hono';
import type { DeletedObject, Message } from '../../shared/openai-types';
import { badRequest } from '../api-error';
import { postedMessage } from '../lifecycle/wire-objects';
import { messageListQuery } from '../../shared/requests/list-queries';
import { createMessageRequest, modifyMessageRequest } from '../../shared/requests/message-requests';
import { jsonBody, pathIds, query } from '../validation/v1-validators';
import { listResponse } from './list-envelope';
import { findMessage, findThread } from './lookups';
import type { RouteContext } from './route-context';
import { threadAttachments } from '../vector-stores/thread-attachments';

/** Mounted at /threads/:thread_id/messages. */
export function messageRoutes({ store, clock, vectorStoreFiles }: RouteContext): Hono {
  const routes = new Hono();
  const attachments = threadAttachments(vectorStoreFiles, clock);

  routes.post('/', pathIds, jsonBody(createMessageRequest), async (c) => {
    const thread = await findThread(store, c.req.param('thread_id')!);
    const request = c.req.valid('json');
    const message = postedMessage(thread.id, request, clock.nowSeconds());
    await store.transaction(async (tx) => {
      const locked = (await tx.threads.getForUpdate(thread.id)) ?? thread;
      const active = await tx.runs.activeRunId(thread.id);
      if (active) throw badRequest(`Can't add messages to ${thread.id} while a run ${active} is active.`);
      if (request.attachments?.length) await attachments(tx, locked, request.attachments, 'attachments');
      await tx.messages.insert(message);
    });
    return c.json(message);
  });

  routes.get('/', pathIds, query(messageListQuery), async (c) => {
    const thread = await findThread(store, c.req.param('thread_id')!);
    const list = c.req.valid('query');
    return listResponse<Message>(c, await store.messages.page(thread.id, list.run_id, list), list);
  });

  const messageOf = (c: { req: { param(name: string): string | undefined } }) =>
    findMessage(store, c.req.param('thread_id')!, c.req.param('message_id')!);

  routes.get('/:message_id', pathIds, async (c) => c.json(await messageOf(c)));

  /** Metadata only; allowed while a run is active, like a run's own metadata. */
  routes.post('/:message_id', pathIds, jsonBody(modifyMessageRequest), async (c) => {
    const message = await messageOf(c);
    const { metadata } = c.req.valid('json');
    const updated: Message = { ...message, metadata: metadata ?? message.metadata };
    await store.messages.update(updated);
    return c.json(updated);
  });

  /**
   * Removes the message from the thread's conversation (later runs no longer read it). Run steps that created it keep
   * its id in `message_creation.message_id`, as a record of what the run did.
   */
  routes.delete('/:message_id', pathIds, async (c) => {
    const message = await messageOf(c);
    await store.messages.delete(message);
    const deleted: DeletedObject<'thread.message.deleted'> = {
      id: message.id,
      object: 'thread.message.deleted',
      deleted: true,
    };
    return c.json(deleted);
  });

  return routes;
}
