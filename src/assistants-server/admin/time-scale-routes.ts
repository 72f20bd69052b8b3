import { Hono } from 'hono';
import * as z from 'zod';
import { decimal } from '../../shared/requests/request-fields';
import { jsonBody } from '../validation/v1-validators';
import type { AdminContext } from './admin-context';

const timeScaleRequest = z.strictObject({ time_scale: decimal({ min: 0.001, max: 1_000_000 }) });

/**
 * POST /time-scale {time_scale}: 10 makes every lifecycle delay ten times shorter. Applies to transitions scheduled
 * from now on; the ones already scheduled keep their due time. Stored: every instance on the database takes it.
 */
export function timeScaleRoutes({ clock, settings, reschedule }: AdminContext): Hono {
  const routes = new Hono();

  routes.get('/time-scale', async (c) => {
    await clock.refresh(); // another instance may have changed it
    return c.json({ time_scale: settings.timeScale });
  });

  routes.post('/time-scale', jsonBody(timeScaleRequest), async (c) => {
    await clock.setTimeScale(c.req.valid('json').time_scale);
    reschedule();
    return c.json({ time_scale: settings.timeScale });
  });

  return routes;
}
