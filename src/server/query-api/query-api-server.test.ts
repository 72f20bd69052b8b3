import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Run, Thread } from '../../shared/openai-types';
import type {
  RunCounts,
  RunsPage,
  RunUsageSummary,
  ThreadSummariesPage,
} from '../../shared/runs-query-types';
import { startInMemoryServer, TEST_TOKEN, type InMemoryServer } from '../test-support/in-memory-server';

const TOKEN = TEST_TOKEN;
const headers = { host: 'localhost:3180', 'content-type': 'application/json', 'x-runboard-token': TOKEN };

let server: InMemoryServer;
beforeEach(async () => {
  server = await startInMemoryServer();
});
afterEach(() => server.close());

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await server.app.request(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

describe('the query API in the real server (emulator mode)', () => {
  it.each([
    '/api/runs',
    '/api/runs/counts',
    '/api/runs/usage',
    '/api/threads',
    '/api/changes',
    '/api/watched-threads',
  ])('%s sits behind the perimeter: token and Host allowlist', async (path) => {
    expect((await server.app.request(path, { headers: { host: 'localhost:3180' } })).status).toBe(401);
    expect((await server.app.request(path, { headers: { ...headers, host: 'evil.example' } })).status).toBe(
      403,
    );
  });

  it('answers an unknown /api route with a 404 in OpenAI’s error shape', async () => {
    const response = await server.app.request('/api/nothing-here', { headers });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: {
        message: 'Unknown route GET /api/nothing-here.',
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    });
  });

  it('answers for runs made through /v1 and for a bulk seed spread over many threads', async () => {
    const assistant = await call<{ id: string }>('POST', '/v1/assistants', { model: 'gpt-4o' });
    const thread = await call<Thread>('POST', '/v1/threads', { metadata: { team: 'blue' } });
    const run = await call<Run>('POST', `/v1/threads/${thread.id}/runs`, { assistant_id: assistant.id });
    const found = await call<RunsPage>('GET', `/api/runs?q=${run.id}`);
    expect(found.data.map((item) => item.id)).toEqual([run.id]);
    expect(found.coverage).toEqual({ complete: true, threads: 1, loading_threads: 0, refreshed_at: null });

    const seeded = await call<{ thread_ids: string[]; count: number }>('POST', '/api/emulator/seed', {
      count: 300,
      thread_count: 30,
    });
    expect(seeded.thread_ids).toHaveLength(30);
    const counts = await call<RunCounts>('GET', '/api/runs/counts');
    expect(counts.total).toBe(301);
    expect(counts.by_status.queued).toBe(1);
    const perThread = await call<RunCounts>('GET', `/api/runs/counts?thread_id=${seeded.thread_ids[3]}`);
    expect(perThread.total).toBe(10);
    const threads = await call<ThreadSummariesPage>('GET', '/api/threads?q=blue');
    expect(threads.data).toMatchObject([{ thread: { id: thread.id }, run_count: 1, active_run_count: 1 }]);
    expect((await call<ThreadSummariesPage>('GET', '/api/threads?limit=500')).total).toBe(31);
  });

  it('previews what each run was asked and answered, or what it asks for, searchable by q', async () => {
    const fn = (name: string) => ({ type: 'function', function: { name, parameters: { type: 'object' } } });
    const plain = await call<{ id: string }>('POST', '/v1/assistants', { model: 'gpt-4o' });
    const tools = await call<{ id: string }>('POST', '/v1/assistants', {
      model: 'gpt-4o',
      tools: [fn('get_weather'), fn('lookup_order'), fn('get_weather_2')],
    });
    const long = `Where is my parcel?   ${'x'.repeat(400)}`;
    const answered = await call<Thread>('POST', '/v1/threads', {
      messages: [
        { role: 'user', content: 'An older question' },
        { role: 'user', content: long },
      ],
    });
    const done = await call<Run>('POST', `/v1/threads/${answered.id}/runs`, { assistant_id: plain.id });
    const waiting = await call<Thread>('POST', '/v1/threads', {
      messages: [{ role: 'user', content: 'Weather in Lyon and my order' }],
    });
    const asking = await call<Run>('POST', `/v1/threads/${waiting.id}/runs`, {
      assistant_id: tools.id,
      tools: [fn('get_weather'), fn('lookup_order')],
    });
    await call('POST', '/api/emulator/clock', { advance_seconds: 120 });

    const page = await call<RunsPage>('GET', '/api/runs');
    const byId = new Map(page.data.map((run) => [run.id, run]));
    const reply = await call<{ data: Array<{ content: Array<{ text: { value: string } }> }> }>(
      'GET',
      `/v1/threads/${answered.id}/messages?run_id=${done.id}`,
    );
    const replyText = reply.data[0]!.content[0]!.text.value;
    expect(byId.get(done.id)!.status).toBe('completed');
    expect(byId.get(done.id)!.preview).toEqual({
      input: `Where is my parcel? ${'x'.repeat(179)}…`,
      output: `${replyText.replace(/\s+/g, ' ').trim().slice(0, 199)}…`,
    });
    expect(byId.get(done.id)!.preview!.input).toHaveLength(200);
    expect(byId.get(asking.id)!.status).toBe('requires_action');
    expect(byId.get(asking.id)!.preview).toEqual({
      input: 'Weather in Lyon and my order',
      output: 'Asks for get_weather, lookup_order',
    });

    const found = await call<RunsPage>('GET', '/api/runs?q=lyon');
    expect(found.data.map((run) => run.id)).toEqual([asking.id]);
    expect((await call<RunsPage>('GET', '/api/runs?q=lookup_order')).data.map((run) => run.id)).toEqual([
      asking.id,
    ]);
    expect((await call<RunsPage>('GET', '/api/runs?q=parcel')).data.map((run) => run.id)).toEqual([done.id]);
  });

  it('sums token usage over every run of a thread (not a page of them), per model, and within a status filter', async () => {
    const thread = await call<Thread>('POST', '/v1/threads', {});
    await call('POST', '/api/emulator/seed', { count: 260, thread_id: thread.id });
    const runs: Run[] = [];
    let after: string | null = null;
    do {
      const page: RunsPage = await call<RunsPage>(
        'GET',
        `/api/runs?thread_id=${thread.id}&limit=100${after ? `&after=${after}` : ''}`,
      );
      runs.push(...page.data);
      after = page.next_cursor;
    } while (after);
    expect(runs).toHaveLength(260);
    const expected = (subset: Run[]) => {
      const withUsage = subset.filter((run) => run.usage !== null);
      return {
        runs: subset.length,
        runs_with_usage: withUsage.length,
        prompt_tokens: withUsage.reduce((sum, run) => sum + run.usage!.prompt_tokens, 0),
        completion_tokens: withUsage.reduce((sum, run) => sum + run.usage!.completion_tokens, 0),
        total_tokens: withUsage.reduce((sum, run) => sum + run.usage!.total_tokens, 0),
      };
    };

    const usage = await call<RunUsageSummary>('GET', `/api/runs/usage?thread_id=${thread.id}`);
    expect(usage).toMatchObject(expected(runs));
    expect(usage.total_tokens).toBeGreaterThan(0);
    expect(usage.coverage.complete).toBe(true);
    const models = [...new Set(runs.map((run) => run.model))];
    expect(usage.by_model.map((entry) => entry.model).sort()).toEqual(models.sort());
    for (const entry of usage.by_model) {
      const { runs: _count, ...sums } = expected(runs.filter((run) => run.model === entry.model));
      expect(entry).toEqual({ model: entry.model, ...sums });
    }
    const totals = usage.by_model.map((entry) => entry.total_tokens);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));

    const failed = await call<RunUsageSummary>('GET', `/api/runs/usage?thread_id=${thread.id}&status=failed`);
    expect(failed).toMatchObject(expected(runs.filter((run) => run.status === 'failed')));
  });

  it("finds runs by their assistant's name, with the other words, and by a new name at once after a rename", async () => {
    const helper = await call<{ id: string }>('POST', '/v1/assistants', {
      model: 'gpt-4o',
      name: 'Weather Helper',
    });
    const other = await call<{ id: string }>('POST', '/v1/assistants', {
      model: 'gpt-4o',
      name: 'Billing Bot',
    });
    const thread = await call<Thread>('POST', '/v1/threads', {});
    const byHelper = await call<Run>('POST', `/v1/threads/${thread.id}/runs`, {
      assistant_id: helper.id,
      metadata: { ticket: 'T-7' },
    });
    const otherThread = await call<Thread>('POST', '/v1/threads', {});
    await call<Run>('POST', `/v1/threads/${otherThread.id}/runs`, { assistant_id: other.id });
    const found = async (q: string) =>
      (await call<RunsPage>('GET', `/api/runs?q=${encodeURIComponent(q)}`)).data.map((run) => run.id);

    expect(await found('weather hel')).toEqual([byHelper.id]);
    expect(await found('WEATHER t-7')).toEqual([byHelper.id]);
    expect(await found('weather t-8')).toEqual([]);
    expect((await call<RunCounts>('GET', '/api/runs/counts?q=helper')).total).toBe(1);

    await call('POST', `/v1/assistants/${helper.id}`, { name: 'Forecast Desk' });
    expect(await found('forecast')).toEqual([byHelper.id]);
    expect(await found('weather')).toEqual([]);
  });

  it('refuses thread_count with thread_id in the bulk seed', async () => {
    const thread = await call<Thread>('POST', '/v1/threads', {});
    const response = await server.app.request('/api/emulator/seed', {
      method: 'POST',
      headers,
      body: JSON.stringify({ count: 10, thread_id: thread.id, thread_count: 2 }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { param: string } }).error.param).toBe('thread_count');
  });
});
