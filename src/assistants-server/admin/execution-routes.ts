import { Hono } from 'hono';
import type { RunExecution } from '../../shared/runboard-types';
import { notFound } from '../api-error';
import { checkIdShape } from '../validation/path-ids';
import type { AdminContext } from './admin-context';
import { excerpt } from '../../platform/request-input';

/** GET /runs/{run_id}/execution: who executes the run, the upstream model, and each model call it made. */
export function executionRoutes({ store }: AdminContext): Hono {
  const routes = new Hono();

  routes.get('/runs/:run_id/execution', async (c) => {
    const id = checkIdShape('run_id', c.req.param('run_id'), 'run');
    const record = await store.runs.get(id);
    if (!record) throw notFound(`No run found with id '${excerpt(id)}'.`);
    return c.json<RunExecution>({
      run_id: id,
      executor: record.internal.executor ?? 'scripted',
      upstream_model: record.internal.model?.upstreamModel ?? null,
      model_calls: await store.modelCalls.ofRun(id),
    });
  });

  return routes;
}
