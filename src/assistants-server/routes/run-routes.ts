import { Hono } from 'hono';
import type { Run, RunStep } from '../../shared/openai-types';
import { notFound } from '../api-error';
import { readJsonObject } from '../validation/json-body';
import { parseListQuery } from '../validation/list-query';
import { checkIdShape } from '../validation/path-ids';
import { parseCreateRun, parseModifyRun, parseSubmitToolOutputs } from '../validation/run-request';
import { parseStepInclude } from '../validation/step-include';
import { listResponse } from './list-envelope';
import { findRun, findThread } from './lookups';
import type { RouteContext } from './route-context';
import { runResponse } from './run-response';
import { continuedRunScope, newRunScope } from './stream-scopes';
import { excerpt } from '../../platform/request-input';

/** Mounted at /threads/:thread_id/runs. */
export function runRoutes({ store, lifecycle, settings, streams }: RouteContext): Hono {
  const routes = new Hono();
  const threadIdOf = (c: { req: { param(name: string): string | undefined } }) => c.req.param('thread_id')!;

  routes.get('/', async (c) => {
    const thread = await findThread(store, threadIdOf(c));
    const query = parseListQuery(c.req.query(), 'run');
    return listResponse<Run>(c, await store.runs.page(thread.id, query), query);
  });

  routes.post('/', async (c) => {
    const thread = await findThread(store, threadIdOf(c));
    const request = parseCreateRun(await readJsonObject(c));
    if (request.stream) {
      return streams.start(
        async () => newRunScope(await lifecycle.createRun(thread.id, request)),
        c.req.raw.signal,
      );
    }
    return runResponse(c, await lifecycle.createRun(thread.id, request), settings.timeScale);
  });

  routes.get('/:run_id', async (c) => {
    const { run } = await findRun(store, threadIdOf(c), c.req.param('run_id'));
    return runResponse(c, run, settings.timeScale);
  });

  routes.post('/:run_id', async (c) => {
    const record = await findRun(store, threadIdOf(c), c.req.param('run_id'));
    const request = parseModifyRun(await readJsonObject(c));
    return runResponse(
      c,
      await lifecycle.updateMetadata(record.run.id, request.metadata),
      settings.timeScale,
    );
  });

  routes.post('/:run_id/cancel', async (c) => {
    const record = await findRun(store, threadIdOf(c), c.req.param('run_id'));
    return runResponse(c, await lifecycle.cancel(record.run.id), settings.timeScale);
  });

  routes.post('/:run_id/submit_tool_outputs', async (c) => {
    const record = await findRun(store, threadIdOf(c), c.req.param('run_id'));
    const request = parseSubmitToolOutputs(await readJsonObject(c));
    if (request.stream) {
      const scope = await continuedRunScope(store, record.run);
      return streams.start(async () => {
        await lifecycle.submitToolOutputs(record.run.id, request.tool_outputs);
        return scope;
      }, c.req.raw.signal);
    }
    const run = await lifecycle.submitToolOutputs(record.run.id, request.tool_outputs);
    return runResponse(c, run, settings.timeScale);
  });

  routes.get('/:run_id/steps', async (c) => {
    const { run } = await findRun(store, threadIdOf(c), c.req.param('run_id'));
    const query = parseListQuery(c.req.query(), 'step');
    parseStepInclude(c.req.queries());
    return listResponse<RunStep>(c, await store.steps.page(run.id, query), query);
  });

  routes.get('/:run_id/steps/:step_id', async (c) => {
    const { run } = await findRun(store, threadIdOf(c), c.req.param('run_id'));
    const id = checkIdShape('step_id', c.req.param('step_id'), 'step');
    parseStepInclude(c.req.queries());
    const step = await store.steps.get(run.id, id);
    if (!step) throw notFound(`No run step found with id '${excerpt(id)}'.`);
    return c.json(step);
  });

  return routes;
}
