import { Hono } from 'hono';
import { readJsonObject } from '../validation/json-body';
import { optionalNumber, rejectUnknownFields, requireField } from '../validation/field-rules';
import type { AdminContext } from './admin-context';

/**
 * POST /time-scale {time_scale}: 10 makes every lifecycle delay ten times shorter. Applies to transitions scheduled
 * from now on; the ones already scheduled keep their due time.
 */
export function timeScaleRoutes({ settings, reschedule }: AdminContext): Hono {
  const routes = new Hono();

  routes.get('/time-scale', (c) => c.json({ time_scale: settings.timeScale }));

  routes.post('/time-scale', async (c) => {
    const body = await readJsonObject(c);
    rejectUnknownFields(body, ['time_scale']);
    requireField(body, 'time_scale');
    settings.timeScale = optionalNumber(body, 'time_scale', { min: 0.001, max: 1_000_000 })!;
    reschedule();
    return c.json({ time_scale: settings.timeScale });
  });

  return routes;
}
