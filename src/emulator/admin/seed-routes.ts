import { Hono } from 'hono';
import { readJsonObject } from '../validation/json-body';
import {
  optionalInteger,
  optionalString,
  rejectUnknownFields,
  requireField,
} from '../validation/field-rules';
import { bulkSeedRuns } from '../seed/bulk-seed';
import type { AdminContext } from './admin-context';

export const MAX_SEED_COUNT = 100_000;

/** POST /seed {thread_id?, count, assistant_id?}: count ended runs in mixed statuses, in one transaction. */
export function seedRoutes({ store, clock }: AdminContext): Hono {
  const routes = new Hono();

  routes.post('/seed', async (c) => {
    const body = await readJsonObject(c);
    rejectUnknownFields(body, ['thread_id', 'count', 'assistant_id']);
    requireField(body, 'count');
    const count = optionalInteger(body, 'count', { min: 1, max: MAX_SEED_COUNT })!;
    const result = bulkSeedRuns(store, {
      count,
      threadId: optionalString(body, 'thread_id'),
      assistantId: optionalString(body, 'assistant_id'),
      now: clock.nowSeconds(),
    });
    return c.json(result);
  });

  return routes;
}
