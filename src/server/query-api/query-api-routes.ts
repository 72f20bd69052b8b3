import { Hono } from 'hono';
import type {
  RunCounts,
  RunUsageSummary,
  RunsTimeseries,
  ThreadSummariesPage,
  WatchedThreadsList,
} from '../../shared/runs-query-types';
import { changesStream } from '../changes/changes-route';
import { TooManyBucketsError } from '../run-index/run-timeseries';
import { queryParamError } from './query-param-error';
import type { RunQueryService } from './run-query-service';
import { apiQuery } from './api-query';
import { countsQuery, runsQuery, threadsQuery, timeseriesQuery } from './runs-query-params';
import { excerpt } from '../../platform/request-input';
import { openAiError } from '../security/openai-error';

const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;
const MAX_WATCH_PER_REQUEST = 1_000;

/**
 * Runboard's run query API and change feed, mounted at /api (behind the perimeter like every /api route):
 * GET /runs, GET /runs/counts, GET /runs/usage, GET /runs/timeseries, GET /threads, GET /changes, and the watched threads of proxy mode.
 */
export function runsApiRoutes(service: RunQueryService): Hono {
  const { queries, feed, source } = service;
  const routes = new Hono();

  routes.get('/runs', apiQuery(runsQuery), async (c) => {
    const query = c.req.valid('query');
    // A read never starts watching a thread (that is a POST): the coverage says when it is not watched.
    const feedSeq = feed.lastSeq();
    const page = await queries.page({ ...query, nowMs: source.nowMs() });
    // A RunsPage, with the stored wire JSON of each run spliced in without parsing it.
    const body = `{"object":"list","data":[${page.bodies.join(',')}],"next_cursor":${JSON.stringify(page.nextCursor)},"has_more":${page.nextCursor !== null},"total":${page.total},"coverage":${JSON.stringify(await source.coverage(query.filter.threadId ?? null))},"feed_seq":${feedSeq}}`;
    return c.body(body, 200, { 'content-type': 'application/json' });
  });

  routes.get('/runs/counts', apiQuery(countsQuery), async (c) => {
    const filter = c.req.valid('query');
    const feedSeq = feed.lastSeq();
    const counts = await queries.counts(filter);
    return c.json<RunCounts>({
      by_status: counts.byStatus,
      total: counts.total,
      coverage: await source.coverage(filter.threadId ?? null),
      feed_seq: feedSeq,
    });
  });

  routes.get('/runs/usage', apiQuery(countsQuery), async (c) => {
    const filter = c.req.valid('query');
    const feedSeq = feed.lastSeq();
    return c.json<RunUsageSummary>({
      ...(await queries.usage(filter)),
      coverage: await source.coverage(filter.threadId ?? null),
      feed_seq: feedSeq,
    });
  });

  routes.get('/runs/timeseries', apiQuery(timeseriesQuery), async (c) => {
    const { filter, range } = c.req.valid('query');
    if (filter.threadId) source.watch([filter.threadId]);
    const feedSeq = feed.lastSeq();
    const end = range.end ?? Math.floor(source.nowMs() / 1000);
    let series;
    try {
      series = await queries.timeseries(filter, { ...range, end });
    } catch (error) {
      if (error instanceof TooManyBucketsError) throw queryParamError('interval', error.message);
      throw error;
    }
    return c.json<RunsTimeseries>({
      ...series,
      coverage: await source.coverage(filter.threadId ?? null),
      feed_seq: feedSeq,
    });
  });

  routes.get('/threads', apiQuery(threadsQuery), async (c) => {
    const query = c.req.valid('query');
    const feedSeq = feed.lastSeq();
    const result = await queries.threads(query);
    return c.json<ThreadSummariesPage>({
      object: 'list',
      data: result.data,
      next_cursor: result.nextCursor,
      has_more: result.nextCursor !== null,
      total: result.total,
      coverage: await source.coverage(null),
      feed_seq: feedSeq,
    });
  });

  routes.get('/changes', (c) => changesStream(c, feed, service.heartbeatMs));

  routes.get('/watched-threads', async (c) =>
    c.json<WatchedThreadsList>({ object: 'list', data: await source.watched() }),
  );

  routes.post('/watched-threads', async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw queryParamError('thread_ids', 'the body must be JSON: {"thread_ids": ["thread_…"]}.');
    }
    const threadIds = (body as { thread_ids?: unknown } | null)?.thread_ids;
    if (!Array.isArray(threadIds) || threadIds.length > MAX_WATCH_PER_REQUEST) {
      throw queryParamError('thread_ids', `expected an array of up to ${MAX_WATCH_PER_REQUEST} thread ids.`);
    }
    for (const threadId of threadIds) {
      if (typeof threadId !== 'string' || !SAFE_ID.test(threadId)) {
        throw queryParamError(
          'thread_ids',
          `expected thread ids of letters, digits, _ and -, got ${excerpt(JSON.stringify(threadId) ?? String(threadId))}.`,
        );
      }
    }
    source.watch(threadIds as string[]);
    return c.json<WatchedThreadsList>({ object: 'list', data: await source.watched() });
  });

  routes.delete('/watched-threads/:thread_id', (c) => {
    const threadId = c.req.param('thread_id');
    if (!source.unwatch(threadId)) {
      return openAiError(c, 404, `Thread ${excerpt(threadId)} is not watched.`, 'not_found', 'thread_id');
    }
    return c.json({ id: threadId, object: 'watched_thread.deleted', deleted: true });
  });

  return routes;
}
