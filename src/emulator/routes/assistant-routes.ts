import { Hono } from 'hono';
import type { Assistant } from '../../shared/openai-types';
import { notFound } from '../api-error';
import { newId } from '../ids';
import { parseCreateAssistant } from '../validation/assistant-request';
import { readJsonObject } from '../validation/json-body';
import { parseListQuery } from '../validation/list-query';
import { checkIdShape } from '../validation/path-ids';
import { listResponse } from './list-envelope';
import type { RouteContext } from './route-context';

export function assistantRoutes({ store, clock }: RouteContext): Hono {
  const routes = new Hono();

  routes.post('/', async (c) => {
    const request = parseCreateAssistant(await readJsonObject(c));
    const assistant: Assistant = {
      id: newId('asst'),
      object: 'assistant',
      created_at: clock.nowSeconds(),
      name: request.name ?? null,
      description: request.description ?? null,
      model: request.model,
      instructions: request.instructions ?? null,
      tools: request.tools ?? [],
      tool_resources: request.tool_resources ?? {},
      metadata: request.metadata ?? {},
      temperature: request.temperature ?? 1,
      top_p: request.top_p ?? 1,
      response_format: request.response_format ?? 'auto',
    };
    store.assistants.insert(assistant);
    return c.json(assistant);
  });

  routes.get('/', (c) => {
    const query = parseListQuery(c.req.query(), 'asst');
    return listResponse<Assistant>(c, store.assistants.page(query), query);
  });

  routes.get('/:assistant_id', (c) => {
    const id = checkIdShape('assistant_id', c.req.param('assistant_id'), 'asst');
    const assistant = store.assistants.get(id);
    if (!assistant) throw notFound(`No assistant found with id '${id}'.`);
    return c.json(assistant);
  });

  return routes;
}
