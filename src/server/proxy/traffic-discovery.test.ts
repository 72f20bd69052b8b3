import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { silentLogger } from '../../platform/logger';
import type { Run, Thread } from '../../shared/openai-types';
import type { RunsPage, ThreadSummariesPage, WatchedThreadsList } from '../../shared/runs-query-types';
import { createHarness, type Harness } from '../../assistants-server/test-support/emulator-harness';
import type { ProxyConfig } from '../config';
import { queryApp } from '../query-api/test-support/query-app';
import type { SqliteRunQueryService } from '../query-api/run-query-service';
import {
  indexFromUpstream,
  type UpstreamIndexSource,
  type UpstreamPollingOptions,
} from '../run-index/upstream-source';
import { createProxyApi } from './proxy-api';
import { startFakeUpstream, type FakeUpstream } from './test-support/fake-upstream';
import { testProxyConfig } from './test-support/proxy-config';

/** The proxy's /v1 and its /api over one index, in front of a fake upstream that answers from an emulator. */
let harness: Harness;
let upstream: FakeUpstream;
let service: SqliteRunQueryService<UpstreamIndexSource> | null;

beforeEach(async () => {
  harness = await createHarness();
  upstream = await startFakeUpstream();
  upstream.handle(async (seen, response) => {
    const answer = await harness.app.request(seen.url, {
      method: seen.method,
      headers: { 'content-type': 'application/json' },
      body: seen.method === 'POST' ? seen.body : undefined,
    });
    response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? '' });
    response.end(await answer.text());
  });
  service = null;
});
afterEach(async () => {
  service?.close();
  await upstream.close();
  await harness.close();
});

/** The poller slowed right down: whatever the index holds came from the traffic. */
const SLOW_POLLER: UpstreamPollingOptions = {
  activePollMs: 60_000,
  idlePollMs: 60_000,
  fullSyncMs: 3_600_000,
  requestSpacingMs: 60_000,
};

function proxy(overrides: Partial<ProxyConfig> = {}, polling = SLOW_POLLER): Hono {
  const config = testProxyConfig(upstream.baseUrl, overrides);
  const built = queryApp((index) => indexFromUpstream(index, config, silentLogger, polling));
  service = built.service as SqliteRunQueryService<UpstreamIndexSource>;
  return built.app.route('/v1', createProxyApi(config, silentLogger, service.source));
}

async function call<T>(app: Hono, path: string, body?: unknown): Promise<T> {
  const response = await app.request(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function threadWithRun(app: Hono, assistantId: string, metadata = {}): Promise<Run> {
  const thread = await call<Thread>(app, '/v1/threads', { metadata });
  return call<Run>(app, `/v1/threads/${thread.id}/runs`, { assistant_id: assistantId });
}

describe('threads and runs found in forwarded traffic', () => {
  it('indexes a run from the answer that started it, with no upstream request of its own', async () => {
    const app = proxy();
    const assistant = await harness.client.beta.assistants.create({ model: 'gpt-4o', name: 'Triage' });
    const run = await threadWithRun(app, assistant.id, { team: 'support' });

    const page = await call<RunsPage>(app, '/api/runs');
    expect(page.data.map((indexed) => [indexed.id, indexed.status])).toEqual([[run.id, 'queued']]);
    expect(page.coverage).toMatchObject({ complete: true, threads: 1 });
    const threads = await call<ThreadSummariesPage>(app, '/api/threads');
    expect(threads.data[0]!.thread.metadata).toEqual({ team: 'support' });
    // Only the two forwarded requests reached the upstream: the thread's creation was seen, so it needs no listing.
    expect(upstream.requests.map((seen) => `${seen.method} ${seen.url}`)).toEqual([
      'POST /v1/threads',
      `POST /v1/threads/${run.thread_id}/runs`,
    ]);

    // A later read through the proxy updates the index with what it answered.
    await harness.advance(1);
    await call<Run>(app, `/v1/threads/${run.thread_id}/runs/${run.id}`);
    expect((await call<RunsPage>(app, '/api/runs')).data[0]!.status).toBe('in_progress');
    // And the assistant's name, when its answer passes, labels the runs for search.
    await call(app, `/v1/assistants/${assistant.id}`);
    expect((await call<RunsPage>(app, '/api/runs?q=Triage')).total).toBe(1);
  });

  it('follows a thread at the active pace as soon as traffic shows a run under way in it', async () => {
    // An idle thread is listed once a minute; an active one every 20 ms.
    const app = proxy(
      {},
      { activePollMs: 20, idlePollMs: 60_000, fullSyncMs: 3_600_000, requestSpacingMs: 1 },
    );
    const assistant = await harness.client.beta.assistants.create({ model: 'gpt-4o' });
    const run = await threadWithRun(app, assistant.id);
    await harness.advance(1);
    // Nobody asks the proxy about the run again: the poller, woken by the traffic, sees it move.
    await expect
      .poll(async () => (await call<RunsPage>(app, '/api/runs')).data[0]!.status, {
        timeout: 2_000,
        interval: 20,
      })
      .toBe('in_progress');
    expect(upstream.requests.some((seen) => seen.url.startsWith(`/v1/threads/${run.thread_id}/runs?`))).toBe(
      true,
    );
  });

  it('watches a thread a request names by its path, to be listed by the poller in its turn', async () => {
    const app = proxy();
    const thread = await harness.client.beta.threads.create();
    await call(app, `/v1/threads/${thread.id}/messages`);
    expect((await call<WatchedThreadsList>(app, '/api/watched-threads')).data).toMatchObject([
      { thread_id: thread.id, state: 'loading', origin: 'traffic', seen_at: expect.any(Number) },
    ]);
    expect((await call<RunsPage>(app, '/api/runs')).coverage).toMatchObject({ complete: false });
  });

  it("never starts watching a thread because the dashboard's own read named it", async () => {
    const app = proxy();
    const thread = await harness.client.beta.threads.create();
    await app.request(`/v1/threads/${thread.id}`, { headers: { 'sec-fetch-site': 'same-origin' } });
    expect((await call<WatchedThreadsList>(app, '/api/watched-threads')).data).toEqual([]);
  });

  it('with discovery off, indexes only threads watched by hand (their runs still from the answers)', async () => {
    const app = proxy({ discovery: false });
    const assistant = await harness.client.beta.assistants.create({ model: 'gpt-4o' });
    await threadWithRun(app, assistant.id);
    expect((await call<WatchedThreadsList>(app, '/api/watched-threads')).data).toEqual([]);
    expect((await call<RunsPage>(app, '/api/runs')).coverage.scope).toMatchObject({
      discovery: false,
      seen_since: null,
    });

    const thread = await harness.client.beta.threads.create();
    await call(app, '/api/watched-threads', { thread_ids: [thread.id] });
    const run = await call<Run>(app, `/v1/threads/${thread.id}/runs`, { assistant_id: assistant.id });
    expect((await call<RunsPage>(app, '/api/runs')).data.map((indexed) => indexed.id)).toEqual([run.id]);
  });

  it('keeps at most the limit: the threads idle the longest leave first, found ones before hand-watched ones', async () => {
    const app = proxy({ maxWatchedThreads: 3 });
    const assistant = await harness.client.beta.assistants.create({ model: 'gpt-4o' });
    const byHand = await harness.client.beta.threads.create();
    await call(app, '/api/watched-threads', { thread_ids: [byHand.id] });
    const runs: Run[] = [];
    for (let i = 0; i < 4; i++) {
      const run = await threadWithRun(app, assistant.id);
      // Each run ends before the next thread comes, so every earlier thread is idle.
      await harness.client.beta.threads.runs.cancel(run.id, { thread_id: run.thread_id });
      await harness.advance(5);
      expect((await call<Run>(app, `/v1/threads/${run.thread_id}/runs/${run.id}`)).status).toBe('cancelled');
      runs.push(run);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const watched = (await call<WatchedThreadsList>(app, '/api/watched-threads')).data;
    expect(watched.map((entry) => entry.thread_id).sort()).toEqual(
      [byHand.id, runs[2]!.thread_id, runs[3]!.thread_id].sort(),
    );
    expect(watched.find((entry) => entry.thread_id === byHand.id)?.origin).toBe('hand');
    const page = await call<RunsPage>(app, '/api/runs');
    expect(page.data.map((run) => run.id).sort()).toEqual([runs[2]!.id, runs[3]!.id].sort());
    expect(page.coverage.scope).toMatchObject({
      watched_threads: 3,
      hand_watched_threads: 1,
      max_threads: 3,
      evicted_threads: 2,
    });
  });

  it('never lets a thread with an active run go', async () => {
    const app = proxy({ maxWatchedThreads: 1 });
    const assistant = await harness.client.beta.assistants.create({ model: 'gpt-4o' });
    const first = await threadWithRun(app, assistant.id);
    const second = await threadWithRun(app, assistant.id);
    const watched = (await call<WatchedThreadsList>(app, '/api/watched-threads')).data;
    expect(watched.map((entry) => entry.thread_id).sort()).toEqual(
      [first.thread_id, second.thread_id].sort(),
    );
  });

  it('stops watching a thread whose deletion passed through', async () => {
    const app = proxy();
    const assistant = await harness.client.beta.assistants.create({ model: 'gpt-4o' });
    const run = await threadWithRun(app, assistant.id);
    await app.request(`/v1/threads/${run.thread_id}`, { method: 'DELETE' });
    expect((await call<WatchedThreadsList>(app, '/api/watched-threads')).data).toEqual([]);
    expect((await call<RunsPage>(app, '/api/runs')).total).toBe(0);
  });
});
