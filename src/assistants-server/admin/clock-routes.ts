import { Hono } from 'hono';
import * as z from 'zod';
import { decimal } from '../../shared/requests/request-fields';
import { jsonBody } from '../validation/v1-validators';
import type { AdminContext } from './admin-context';

export interface ClockState {
  /** Emulator time, Unix seconds (what `created_at` and `expires_at` are compared with). */
  now: number;
  now_ms: number;
  /** How far the emulator clock is ahead of the wall clock. */
  offset_seconds: number;
  time_scale: number;
}

const advanceRequest = z.strictObject({
  advance_seconds: decimal({ min: 0, max: 10 * 365 * 24 * 3600 }).nullable(),
});

/**
 * GET /clock and POST /clock {advance_seconds}: moving time forward applies everything that becomes due. The offset is
 * stored: every instance on the database moves with it (at its next look, within `RUNBOARD_INSTANCE_POLL_MS`).
 */
export function clockRoutes({ clock, lifecycle, settings, reschedule }: AdminContext): Hono {
  const routes = new Hono();
  const state = (): ClockState => ({
    now: clock.nowSeconds(),
    now_ms: clock.now(),
    offset_seconds: clock.offsetSeconds,
    time_scale: settings.timeScale,
  });

  routes.get('/clock', async (c) => {
    await clock.refresh(); // another instance may have moved it
    return c.json(state());
  });

  routes.post('/clock', jsonBody(advanceRequest), async (c) => {
    const seconds = c.req.valid('json').advance_seconds ?? 0;
    await processAllDue(lifecycle, clock);
    await clock.advance(seconds);
    const applied = await processAllDue(lifecycle, clock);
    reschedule();
    return c.json({ ...state(), applied_transitions: applied });
  });

  return routes;
}

/** How long the answer waits for due transitions that another worker holds (a shared database). */
const SETTLE_MS = 5_000;

/**
 * Everything due, a batch at a time, letting other requests in between: the answer comes once all is applied. On a
 * shared database a due run can be held right now by another worker (this instance's scheduler in a batch, another
 * instance): nothing is claimed here, and the answer waits (at most `SETTLE_MS`) until that worker has applied it.
 */
async function processAllDue(
  lifecycle: AdminContext['lifecycle'],
  clock: AdminContext['clock'],
): Promise<number> {
  let applied = 0;
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const batch = await lifecycle.processDue();
    applied += batch;
    if (batch === 0) {
      const next = await lifecycle.nextDueAt();
      if (next === null || next > clock.now() || Date.now() > deadline) return applied;
      await new Promise((resolve) => setTimeout(resolve, 10));
    } else {
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
