import { Hono } from 'hono';
import type { FaultRegistry } from '../emulation/faults/fault-registry';
import { readJsonObject } from '../validation/json-body';

/**
 * `/faults`: inject faults into `/v1` answers (emulator mode only).
 * GET lists the rules with how often each has hit; POST adds one rule; DELETE clears all, or one by id.
 */
export function faultRoutes(registry: FaultRegistry): Hono {
  const routes = new Hono();

  routes.get('/faults', (c) => c.json({ default_seed: registry.defaultSeed, rules: registry.list() }));

  routes.post('/faults', async (c) => c.json(registry.add(await readJsonObject(c)), 201));

  routes.delete('/faults', (c) => {
    registry.clear();
    return c.json({ rules: [] });
  });

  routes.delete('/faults/:fault_id', (c) => {
    const id = c.req.param('fault_id');
    registry.remove(id);
    return c.json({ id, deleted: true });
  });

  return routes;
}
