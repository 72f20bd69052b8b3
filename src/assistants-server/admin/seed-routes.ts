import { Hono } from 'hono';
import * as z from 'zod';
import { integer, optional } from '../../shared/requests/request-fields';
import { jsonBody } from '../validation/v1-validators';
import { bulkSeedRuns } from '../emulation/seed/bulk-seed';
import { badRequest } from '../api-error';
import type { AdminContext } from './admin-context';

export const MAX_SEED_COUNT = 100_000;
export const MAX_SEED_THREADS = 1_000;

const seedRequest = z.strictObject({
  thread_id: optional(z.string()),
  count: integer({ min: 1, max: MAX_SEED_COUNT }),
  assistant_id: optional(z.string()),
  thread_count: optional(integer({ min: 1, max: MAX_SEED_THREADS })),
});

/**
 * POST /seed {thread_id?, count, assistant_id?, thread_count?}: count ended runs in mixed statuses, in one
 * transaction, in the given thread or spread round-robin over `thread_count` new ones.
 */
export function seedRoutes({ store, clock }: AdminContext): Hono {
  const routes = new Hono();

  routes.post('/seed', jsonBody(seedRequest), async (c) => {
    const body = c.req.valid('json');
    const threadId = body.thread_id ?? undefined;
    const threadCount = body.thread_count ?? undefined;
    if (threadId !== undefined && threadCount !== undefined) {
      throw badRequest(
        'thread_count cannot be combined with thread_id: the runs go into the given thread, or into new ones.',
        'thread_count',
      );
    }
    const result = await bulkSeedRuns(store, {
      count: body.count,
      threadId,
      threadCount,
      assistantId: body.assistant_id ?? undefined,
      now: clock.nowSeconds(),
    });
    return c.json(result);
  });

  return routes;
}
