import type { Context } from 'hono';
import { isActiveStatus, type Run } from '../../shared/openai-types';
import { pollAfterMs } from '../lifecycle/timings';

/** A run answer; while the run can still change, `openai-poll-after-ms` tells the SDK and the dashboard when to look again. */
export function runResponse(c: Context, run: Run, timeScale: number): Response {
  if (isActiveStatus(run.status)) c.header('openai-poll-after-ms', String(pollAfterMs(timeScale)));
  return c.json(run);
}
