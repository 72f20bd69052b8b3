import { Hono } from 'hono';
import { DATABASE_UNAVAILABLE, type RunboardHealth } from '../../shared/runboard-types';
import { openAiErrorBody } from '../security/openai-error';
import type { DatabaseProbe } from './database-probe';
import { storeLabel } from './store-description';

export interface HealthSource {
  backend: RunboardHealth['backend'];
  store: RunboardHealth['store'];
  instance: string;
  version: string;
  probe: DatabaseProbe;
}

/**
 * GET /api/health: which backend, store and instance answered, and whether the database answers one statement in
 * bounded time. 200 when it does; 503 when it does not, with the reason, as `error` in OpenAI's shape too (what
 * every other /api refusal carries). Behind the perimeter like every /api route (the access token included).
 */
export function healthRoutes(source: HealthSource): Hono {
  const routes = new Hono();
  routes.get('/health', async (c) => {
    const probe = await source.probe.check();
    const health: RunboardHealth = {
      status: probe.reachable ? 'ok' : 'unavailable',
      backend: source.backend,
      store: source.store,
      instance: source.instance,
      database: probe.reachable
        ? { reachable: true, latency_ms: probe.latencyMs, reason: null }
        : { reachable: false, latency_ms: null, reason: probe.reason },
      version: source.version,
    };
    c.header('cache-control', 'no-store');
    if (probe.reachable) return c.json(health);
    const refusal = openAiErrorBody(
      503,
      `The database (${storeLabel(source.store)}) did not answer: ${probe.reason}.`,
      DATABASE_UNAVAILABLE,
    );
    return c.json({ ...health, ...refusal }, 503);
  });
  return routes;
}
