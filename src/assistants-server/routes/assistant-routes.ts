import { Hono } from 'hono';
import type { Assistant, DeletedObject } from '../../shared/openai-types';
import { newId } from '../ids';
import { createAssistantRequest, modifyAssistantRequest } from '../../shared/requests/assistant-requests';
import { listQuery } from '../../shared/requests/list-queries';
import { jsonBody, pathIds, query } from '../validation/v1-validators';
import { listResponse } from './list-envelope';
import { findAssistant } from './lookups';
import type { RouteContext } from './route-context';
import { withHelperVectorStores } from '../vector-stores/tool-resource-stores';

export function assistantRoutes({ store, clock, vectorStoreFiles }: RouteContext): Hono {
  const routes = new Hono();

  /** A `vector_stores` helper in `tool_resources.file_search` makes the store in the same transaction. */
  routes.post('/', jsonBody(createAssistantRequest), async (c) => {
    const request = c.req.valid('json');
    const assistant = await store.transaction(async (tx) => {
      const toolResources = await withHelperVectorStores(
        tx,
        vectorStoreFiles,
        clock,
        request.tool_resources,
        'tool_resources',
      );
      const created: Assistant = {
        id: newId('asst'),
        object: 'assistant',
        created_at: clock.nowSeconds(),
        name: request.name ?? null,
        description: request.description ?? null,
        model: request.model,
        instructions: request.instructions ?? null,
        tools: request.tools ?? [],
        tool_resources: toolResources ?? {},
        metadata: request.metadata ?? {},
        temperature: request.temperature ?? 1,
        top_p: request.top_p ?? 1,
        response_format: request.response_format ?? 'auto',
      };
      await tx.assistants.insert(created);
      return created;
    });
    return c.json(assistant);
  });

  routes.get('/', query(listQuery('asst')), async (c) => {
    const list = c.req.valid('query');
    return listResponse<Assistant>(c, await store.assistants.page(list), list);
  });

  routes.get('/:assistant_id', pathIds, async (c) =>
    c.json(await findAssistant(store, c.req.param('assistant_id'))),
  );

  /** Runs already created keep what they copied from the assistant; only new runs see the change. */
  routes.post('/:assistant_id', pathIds, jsonBody(modifyAssistantRequest), async (c) => {
    const assistant = await findAssistant(store, c.req.param('assistant_id'));
    const changes = c.req.valid('json');
    const updated: Assistant = { ...assistant, ...changes } as Assistant;
    await store.assistants.update(updated);
    return c.json(updated);
  });

  /**
   * Its runs stay, with their `assistant_id` (active ones run to their end); new runs naming it are refused with
   * `No assistant found with id …`, as OpenAI did.
   */
  routes.delete('/:assistant_id', pathIds, async (c) => {
    const assistant = await findAssistant(store, c.req.param('assistant_id'));
    await store.assistants.delete(assistant);
    const deleted: DeletedObject<'assistant.deleted'> = {
      id: assistant.id,
      object: 'assistant.deleted',
      deleted: true,
    };
    return c.json(deleted);
  });

  return routes;
}
