import { Hono } from 'hono';
import type { Run, RunStep } from '../../shared/openai-types';
import { notFound } from '../api-error';
import { listQuery, stepIncludeQuery, stepListQuery } from '../../shared/requests/list-queries';
import {
  createRunRequest,
  modifyRunRequest,
  submitToolOutputsRequest,
} from '../../shared/requests/run-requests';
import { jsonBody, pathIds, query } from '../validation/v1-validators';
import { listResponse } from './list-envelope';
import { findRun, findThread } from './lookups';
import type { RouteContext } from './route-context';
import { runResponse } from './run-response';
import { continuedRunScope, newRunScope } from './stream-scopes';
import { excerpt } from '../../platform/request-input';
import { stepAsAsked } from '../run-search/step-include';

/** Mounted at /threads/:thread_id/runs. */
export function runRoutes({ store, lifecycle, settings, streams }: RouteContext): Hono {
  const routes = new Hono();
  const threadIdOf = (c: { req: { param(name: string): string | undefined } }) => c.req.param('thread_id')!;

  routes.get('/', pathIds, query(listQuery('run')), async (c) => {
    const thread = await findThread(store, threadIdOf(c));
    const list = c.req.valid('query');
    return listResponse<Run>(c, await store.runs.page(thread.id, list), list);
  });

  // `include[]` (query): the streamed file_search steps carry their results' content.
  routes.post('/', pathIds, query(stepIncludeQuery), jsonBody(createRunRequest), async (c) => {
    const thread = await findThread(store, threadIdOf(c));
    const request = c.req.valid('json');
    const includeSearchContent = c.req.valid('query').include.length > 0;
    if (request.stream) {
      return streams.start(
        async () => newRunScope(await lifecycle.createRun(thread.id, request), { includeSearchContent }),
        c.req.raw.signal,
      );
    }
    return runResponse(c, await lifecycle.createRun(thread.id, request), settings.timeScale);
  });

  routes.get('/:run_id', pathIds, async (c) => {
    const { run } = await findRun(store, threadIdOf(c), c.req.param('run_id'));
    return runResponse(c, run, settings.timeScale);
  });

  routes.post('/:run_id', pathIds, jsonBody(modifyRunRequest), async (c) => {
    const record = await findRun(store, threadIdOf(c), c.req.param('run_id'));
    const request = c.req.valid('json');
    return runResponse(
      c,
      await lifecycle.updateMetadata(record.run.id, request.metadata),
      settings.timeScale,
    );
  });

  routes.post('/:run_id/cancel', pathIds, async (c) => {
    const record = await findRun(store, threadIdOf(c), c.req.param('run_id'));
    return runResponse(c, await lifecycle.cancel(record.run.id), settings.timeScale);
  });

  routes.post('/:run_id/submit_tool_outputs', pathIds, jsonBody(submitToolOutputsRequest), async (c) => {
    const record = await findRun(store, threadIdOf(c), c.req.param('run_id'));
    const request = c.req.valid('json');
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

  routes.get('/:run_id/steps', pathIds, query(stepListQuery), async (c) => {
    const { run } = await findRun(store, threadIdOf(c), c.req.param('run_id'));
    const list = c.req.valid('query');
    const page = await store.steps.page(run.id, list);
    const includeContent = list.include.length > 0;
    const rows =
      'rows' in page ? { ...page, rows: page.rows.map((row) => rowAsAsked(row, includeContent)) } : page;
    return listResponse<RunStep>(c, rows, list);
  });

  routes.get('/:run_id/steps/:step_id', pathIds, query(stepIncludeQuery), async (c) => {
    const { run } = await findRun(store, threadIdOf(c), c.req.param('run_id'));
    const id = c.req.param('step_id');
    const step = await store.steps.get(run.id, id);
    if (!step) throw notFound(`No run step found with id '${excerpt(id)}'.`);
    return c.json(stepAsAsked(step, c.req.valid('query').include.length > 0));
  });

  return routes;
}

/** A stored step as `include[]` asks: only one with file_search results is parsed (the others are spliced as stored). */
function rowAsAsked(
  row: { id: string; body: string },
  includeContent: boolean,
): { id: string; body: string } {
  if (includeContent || !row.body.includes('"file_search"')) return row;
  return { id: row.id, body: JSON.stringify(stepAsAsked(JSON.parse(row.body) as RunStep, false)) };
}
