import { Hono } from 'hono';
import type { AuditListResponse } from '../../shared/audit-types';
import type { AuditStore } from './audit-store';
import { decimalInteger, excerpt } from '../../platform/request-input';
import { openAiError } from '../security/openai-error';

/** GET /api/audit?run_id=…&thread_id=…&limit=… : the newest entries first. */
export function auditRoutes(store: AuditStore): Hono {
  const routes = new Hono();
  routes.get('/', async (c) => {
    const limitText = c.req.query('limit');
    const limit = limitText === undefined ? 100 : decimalInteger(limitText);
    if (limit === null || limit < 1 || limit > 500) {
      return openAiError(
        c,
        400,
        `Invalid 'limit': expected an integer between 1 and 500, got '${excerpt(limitText ?? '')}'.`,
        'integer_out_of_range',
        'limit',
      );
    }
    const data = await store.list({
      runId: c.req.query('run_id') || undefined,
      threadId: c.req.query('thread_id') || undefined,
      limit,
    });
    return c.json<AuditListResponse>({ object: 'list', data });
  });
  return routes;
}
