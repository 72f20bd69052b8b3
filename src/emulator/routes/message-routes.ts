import { Hono } from 'hono';
import type { Message } from '../../shared/openai-types';
import { badRequest, notFound } from '../api-error';
import { postedMessage } from '../lifecycle/wire-objects';
import { readJsonObject } from '../validation/json-body';
import { parseListQuery } from '../validation/list-query';
import { parseCreateMessage } from '../validation/message-request';
import { checkIdShape } from '../validation/path-ids';
import { listResponse } from './list-envelope';
import { findThread } from './lookups';
import type { RouteContext } from './route-context';

/** Mounted at /threads/:thread_id/messages. */
export function messageRoutes({ store, clock }: RouteContext): Hono {
  const routes = new Hono();

  routes.post('/', async (c) => {
    const thread = findThread(store, c.req.param('thread_id')!);
    const request = parseCreateMessage(await readJsonObject(c));
    const active = store.runs.activeRun(thread.id);
    if (active) throw badRequest(`Can't add messages to ${thread.id} while a run ${active.id} is active.`);
    const message = postedMessage(thread.id, request, clock.nowSeconds());
    store.messages.insert(message);
    return c.json(message);
  });

  routes.get('/', (c) => {
    const thread = findThread(store, c.req.param('thread_id')!);
    const query = parseListQuery(c.req.query(), 'msg');
    const runId = c.req.query('run_id');
    if (runId) checkIdShape('run_id', runId, 'run');
    return listResponse<Message>(c, store.messages.page(thread.id, runId, query), query);
  });

  routes.get('/:message_id', (c) => {
    const thread = findThread(store, c.req.param('thread_id')!);
    const id = checkIdShape('message_id', c.req.param('message_id'), 'msg');
    const message = store.messages.get(thread.id, id);
    if (!message) throw notFound(`No message found with id '${id}'.`);
    return c.json(message);
  });

  return routes;
}
