import { Hono } from 'hono';
import { readJsonObject } from '../validation/json-body';
import {
  optionalInteger,
  optionalString,
  rejectUnknownFields,
  requireField,
} from '../validation/field-rules';
import { bulkSeedRuns } from '../emulation/seed/bulk-seed';
import { badRequest } from '../api-error';
import type { AdminContext } from './admin-context';

export const MAX_SEED_COUNT = 100_000;
export const MAX_SEED_THREADS = 1_000;

/**
 * POST /seed {thread_id?, count, assistant_id?, thread_count?}: count ended runs in mixed statuses, in one
 * transaction, in the given thread or spread round-robin over `thread_count` new ones.
 */
export function seedRoutes({ store, clock }: AdminContext): Hono {
  const routes = new Hono();

  routes.post('/seed', async (c) => {
    const body = await readJsonObject(c);
    rejectUnknownFields(body, ['thread_id', 'count', 'assistant_id', 'thread_count']);
    requireField(body, 'count');
    const count = optionalInteger(body, 'count', { min: 1, max: MAX_SEED_COUNT })!;
    const threadId = optionalString(body, 'thread_id');
    const threadCount = optionalInteger(body, 'thread_count', { min: 1, max: MAX_SEED_THREADS });
    if (threadId !== undefined && threadCount !== undefined) {
      throw badRequest(
        'thread_count cannot be combined with thread_id: the runs go into the given thread, or into new ones.',
        'thread_count',
      );
    }
    const result = await bulkSeedRuns(store, {
      count,
      threadId,
      threadCount,
      assistantId: optionalString(body, 'assistant_id'),
      now: clock.nowSeconds(),
    });
    return c.json(result);
  });

  return routes;
}
