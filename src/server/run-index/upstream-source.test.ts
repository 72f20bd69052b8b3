import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { silentLogger } from '../../platform/logger';
import type { Run } from '../../shared/openai-types';
import type { ChangeEvent, RunCounts, RunsPage, WatchedThreadsList } from '../../shared/runs-query-types';
import { createHarness, type Harness } from '../../assistants-server/test-support/emulator-harness';
import { startFakeUpstream, type FakeUpstream } from '../proxy/test-support/fake-upstream';
import { testProxyConfig } from '../proxy/test-support/proxy-config';
import type { ProxyConfig } from '../config';
import { queryApp } from '../query-api/test-support/query-app';
import type { SqliteRunQueryService } from '../query-api/run-query-service';
import { SseReader } from '../changes/test-support/sse-reader';
import { indexFromUpstream, type UpstreamPollingOptions } from './upstream-source';

const FAST: UpstreamPollingOptions = {
  activePollMs: 20,
  idlePollMs: 40,
  fullSyncMs: 60_000,
  requestSpacingMs: 1,
};

let harness: Harness;
let upstream: FakeUpstream;
const services: SqliteRunQueryService[] = [];
let gate: Promise<void> | null = null;
let openGate = () => {};
let dir: string;

beforeEach(async () => {
  harness = await createHarness();
  upstream = await startFakeUpstream();
  dir = mkdtempSync(join(tmpdir(), 'runboard-index-'));
  // The fake upstream answers as OpenAI would, from an emulator; `gate` holds its answers back.
  upstream.handle(async (seen, response) => {
    if (gate) await gate;
    const answer = await harness.app.request(seen.url, {
      method: seen.method,
      headers: { 'content-type': 'application/json' },
    });
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    response.end(await answer.text());
  });
});
afterEach(async () => {
  openGate();
  for (const service of services.splice(0)) service.close();
  await upstream.close();
  await harness.close();
  rmSync(dir, { recursive: true, force: true });
});

function holdUpstream(): void {
  gate = new Promise((resolve) => {
    openGate = () => {
      gate = null;
      resolve();
    };
  });
}

function proxyQueryApp(
  indexPath = ':memory:',
  overrides: Partial<ProxyConfig> = {},
): { app: Hono; service: SqliteRunQueryService } {
  const config = testProxyConfig(upstream.baseUrl, overrides);
  const built = queryApp((index) => indexFromUpstream(index, config, silentLogger, FAST), { indexPath });
  services.push(built.service);
  return built;
}

async function json<T>(app: Hono, path: string): Promise<T> {
  const response = await app.request(path);
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** What `read` answers once `accept` takes it (read again until then, for up to 10 s). */
function until<T>(read: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await read();
      if (!accept(value)) throw new Error(`not reached: ${JSON.stringify(value).slice(0, 300)}`);
      return value;
    },
    { timeout: 10_000, interval: 15 },
  );
}

async function watch(app: Hono, ...threadIds: string[]): Promise<void> {
  const response = await app.request('/api/watched-threads', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ thread_ids: threadIds }),
  });
  expect(response.status).toBe(200);
}

async function seededThread(count: number): Promise<string> {
  const response = await harness.admin('/seed', { count });
  return ((await response.json()) as { thread_id: string }).thread_id;
}

describe("proxy mode: searching by the upstream's assistant names", () => {
  it('reads the names in the background when a search first asks, then finds runs by them', async () => {
    const threadId = await seededThread(12);
    const { app } = proxyQueryApp();
    await watch(app, threadId);
    await until(
      () => json<RunsPage>(app, `/api/runs?thread_id=${threadId}`),
      (page) => page.coverage.complete,
    );
    const byName = await until(
      () => json<RunsPage>(app, `/api/runs?thread_id=${threadId}&q=${encodeURIComponent('bulk seed')}`),
      (page) => page.total > 0,
    );
    expect(byName.total).toBe(12);
    const listings = upstream.requests.filter((request) => request.url.includes('/assistants?'));
    expect(listings).toHaveLength(1);
    expect(listings[0]!.headers.authorization).toBe('Bearer sk-test');
    // Within the minute the names are not read again.
    await json<RunsPage>(app, `/api/runs?thread_id=${threadId}&q=seed`);
    expect(upstream.requests.filter((request) => request.url.includes('/assistants?'))).toHaveLength(1);
  });
});

describe('proxy mode: the index of watched threads', () => {
  it('says the answer is incomplete while a thread loads, then answers for all of its runs', async () => {
    const threadId = await seededThread(250);
    const { app } = proxyQueryApp();
    holdUpstream();
    await watch(app, threadId);
    const loading = await json<RunsPage>(app, `/api/runs?thread_id=${threadId}&sort=tokens.desc`);
    expect(loading.coverage).toMatchObject({ complete: false, threads: 1, loading_threads: 1 });
    expect((await json<RunCounts>(app, `/api/runs/counts?thread_id=${threadId}`)).coverage.complete).toBe(
      false,
    );
    openGate();

    const loaded = await until(
      () => json<RunsPage>(app, `/api/runs?thread_id=${threadId}&sort=tokens.desc&limit=5`),
      (page) => page.coverage.complete,
    );
    expect(loaded.total).toBe(250);
    expect(loaded.coverage).toMatchObject({ complete: true, threads: 1, loading_threads: 0 });
    expect(loaded.coverage.refreshed_at).toEqual(expect.any(Number));
    const all: Run[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await harness.client.beta.threads.runs.list(threadId, { limit: 100, after });
      all.push(...(page.data as unknown as Run[]));
      if (!page.hasNextPage()) break;
      after = page.data.at(-1)!.id;
    }
    const top = Math.max(...all.map((run) => run.usage?.total_tokens ?? -1));
    expect(loaded.data[0]!.usage?.total_tokens).toBe(top);
    const counts = await json<RunCounts>(app, `/api/runs/counts?thread_id=${threadId}`);
    expect(counts.by_status.failed).toBe(all.filter((run) => run.status === 'failed').length);
    expect(counts.coverage.complete).toBe(true);
    // Every upstream call carried the server's key; listing went newest first, 100 at a time.
    expect(upstream.requests.every((request) => request.headers.authorization === 'Bearer sk-test')).toBe(
      true,
    );
    expect(upstream.requests.filter((request) => request.url.includes('limit=100&order=desc')).length).toBe(
      3,
    );
  });

  it('publishes what the poller sees change on the change feed', async () => {
    const assistant = await harness.client.beta.assistants.create({ model: 'gpt-4o' });
    const thread = await harness.client.beta.threads.create();
    const { app, service } = proxyQueryApp();
    const response = await app.request('/api/watched-threads', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ thread_ids: [thread.id] }),
    });
    expect(((await response.json()) as WatchedThreadsList).data).toMatchObject([{ thread_id: thread.id }]);
    await until(
      () => json<WatchedThreadsList>(app, '/api/watched-threads'),
      (list) => list.data[0]!.state === 'ready',
    );

    const feed = new SseReader(await app.request(`/api/changes?last_event_id=${service.feed.lastSeq()}`));
    const run = await harness.client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    const [created] = (await feed.events(1)).map((frame) => JSON.parse(frame.data!) as ChangeEvent);
    expect(created).toMatchObject({ type: 'run.created', run: { id: run.id, status: 'queued' } });
    await harness.advance(1);
    const [updated] = (await feed.events(1)).map((frame) => JSON.parse(frame.data!) as ChangeEvent);
    expect(updated).toMatchObject({ type: 'run.updated', run: { id: run.id, status: 'in_progress' } });
    await feed.close();
  });

  it('marks a thread the upstream does not know as failed, and the answer incomplete', async () => {
    const { app } = proxyQueryApp();
    await watch(app, 'thread_missing');
    const list = await until(
      () => json<WatchedThreadsList>(app, '/api/watched-threads'),
      (value) => value.data[0]?.state === 'failed',
    );
    expect(list.data[0]!.error).toContain('404');
    expect((await json<RunsPage>(app, '/api/runs')).coverage).toMatchObject({ complete: false, threads: 1 });
    const removed = await app.request('/api/watched-threads/thread_missing', { method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect((await json<RunsPage>(app, '/api/runs')).coverage).toMatchObject({ complete: true, threads: 0 });
  });

  it('reads an Azure OpenAI upstream with its api-key header and api-version parameter', async () => {
    upstream.handle((seen, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        seen.url.startsWith('/v1/threads/thread_az?')
          ? JSON.stringify({
              id: 'thread_az',
              object: 'thread',
              created_at: 1,
              metadata: {},
              tool_resources: null,
            })
          : '{"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false}',
      );
    });
    const { app } = proxyQueryApp(':memory:', { keyHeader: 'api-key', apiVersion: '2024-05-01-preview' });
    await watch(app, 'thread_az');
    await until(
      () => json<WatchedThreadsList>(app, '/api/watched-threads'),
      (list) => list.data[0]?.state === 'ready',
    );
    expect(upstream.requests.length).toBeGreaterThanOrEqual(2);
    for (const seen of upstream.requests) {
      expect(seen.headers['api-key']).toBe('sk-test');
      expect(seen.headers.authorization).toBeUndefined();
      expect(new URL(seen.url, 'http://x').searchParams.get('api-version')).toBe('2024-05-01-preview');
    }
  });

  it('keeps the watched threads and their runs across a restart', async () => {
    const threadId = await seededThread(30);
    const path = join(dir, 'index.sqlite');
    const first = proxyQueryApp(path);
    await watch(first.app, threadId);
    await until(
      () => json<RunsPage>(first.app, `/api/runs?thread_id=${threadId}`),
      (page) => page.coverage.complete,
    );
    first.service.close();

    holdUpstream();
    const second = proxyQueryApp(path);
    const page = await json<RunsPage>(second.app, `/api/runs?thread_id=${threadId}`);
    expect(page.total).toBe(30);
    expect(page.coverage.complete).toBe(true);
    expect((await json<WatchedThreadsList>(second.app, '/api/watched-threads')).data).toMatchObject([
      { thread_id: threadId, state: 'ready', runs_indexed: 30, origin: 'hand' },
    ]);
  });

  it('never starts watching a thread because a read named it: the answer says it is not watched', async () => {
    const threadId = await seededThread(3);
    const { app } = proxyQueryApp();
    for (const path of ['/api/runs', '/api/runs/counts', '/api/runs/usage']) {
      const answer = await json<RunsPage>(app, `${path}?thread_id=${threadId}`);
      expect(answer.coverage).toMatchObject({ complete: false, threads: 0, watched: false });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await json<WatchedThreadsList>(app, '/api/watched-threads')).data).toEqual([]);
    expect(upstream.requests.filter((request) => request.url.includes(threadId))).toEqual([]);
    await watch(app, threadId);
    const watched = await until(
      () => json<RunsPage>(app, `/api/runs?thread_id=${threadId}`),
      (page) => page.coverage.complete,
    );
    expect(watched.total).toBe(3);
    expect(watched.coverage).toMatchObject({ watched: true, threads: 1 });
  });
});
