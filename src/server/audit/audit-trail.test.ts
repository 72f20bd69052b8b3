import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditListResponse } from '../../shared/audit-types';
import type { Run, Thread } from '../../shared/openai-types';
import {
  openTestAuditStore,
  startInMemoryServer,
  TEST_TOKEN,
  type InMemoryServer,
} from '../test-support/in-memory-server';
import { loadConfig } from '../config';

const TOKEN = TEST_TOKEN;
const headers = {
  host: 'localhost:3180',
  'content-type': 'application/json',
  'openai-beta': 'assistants=v2',
  'x-runboard-token': TOKEN,
};

/** The browser's Origin on a write from Runboard's own page. */
const OWN_PAGE = { origin: 'http://localhost:3180' };

let server: InMemoryServer;
beforeEach(async () => {
  server = await startInMemoryServer();
});
afterEach(() => server.close());

async function post<T>(path: string, body: unknown, extra: Record<string, string> = {}) {
  const response = await server.app.request(path, {
    method: 'POST',
    headers: { ...headers, ...extra },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function trail(query: string): Promise<AuditListResponse> {
  const response = await server.app.request(`/api/audit${query}`, { headers });
  expect(response.status).toBe(200);
  return (await response.json()) as AuditListResponse;
}

describe('audit trail', () => {
  it('records create thread, create run, modify and cancel with ids, status and source; newest first', async () => {
    const assistant = await post<{ id: string }>('/v1/assistants', { model: 'gpt-4o', name: 'Audited' });
    const thread = await post<Thread>('/v1/threads', {}, OWN_PAGE);
    const run = await post<Run>(`/v1/threads/${thread.body.id}/runs`, {
      assistant_id: assistant.body.id,
      instructions: 'secret plan',
      metadata: { runboard_scenario: 'slow' },
    });
    await post(
      `/v1/threads/${thread.body.id}/runs/${run.body.id}`,
      { metadata: { ticket: 'T-1' } },
      OWN_PAGE,
    );
    await post(`/v1/threads/${thread.body.id}/runs/${run.body.id}/cancel`, {}, OWN_PAGE);

    const forRun = await trail(`?run_id=${run.body.id}`);
    expect(forRun.data.map((entry) => [entry.action, entry.status, entry.source])).toEqual([
      ['cancel_run', 200, 'dashboard'],
      ['modify_run', 200, 'dashboard'],
      ['create_run', 200, 'api'],
    ]);
    const created = forRun.data[2]!;
    expect(created.thread_id).toBe(thread.body.id);
    expect(created.path).toBe(`/v1/threads/${thread.body.id}/runs`);
    expect(created.summary).toBe(
      `assistant ${assistant.body.id}; instructions (11 chars); metadata keys runboard_scenario`,
    );
    expect(forRun.data[1]!.summary).toBe('metadata keys ticket');

    const forThread = await trail(`?thread_id=${thread.body.id}`);
    expect(forThread.data.at(-1)).toMatchObject({
      action: 'create_thread',
      thread_id: thread.body.id,
      source: 'dashboard',
    });
  });

  it('names the run of a streamed create (stream: true) and of a streamed create-thread-and-run', async () => {
    const assistant = await post<{ id: string }>('/v1/assistants', { model: 'gpt-4o', name: 'Streamed' });
    const thread = await post<Thread>('/v1/threads', {});
    const streamed = async (path: string, body: unknown) => {
      const response = await server.app.request(path, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      });
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const text = await response.text();
      const created = /event: thread\.run\.created\ndata: (.*)\n/.exec(text);
      expect(created).not.toBeNull();
      return JSON.parse(created![1]!) as Run;
    };

    const run = await streamed(`/v1/threads/${thread.body.id}/runs`, {
      assistant_id: assistant.body.id,
      stream: true,
    });
    expect((await trail(`?run_id=${run.id}`)).data).toMatchObject([
      { action: 'create_run', status: 200, run_id: run.id, thread_id: thread.body.id },
    ]);

    const both = await streamed('/v1/threads/runs', { assistant_id: assistant.body.id, stream: true });
    expect((await trail(`?run_id=${both.id}`)).data).toMatchObject([
      { action: 'create_thread_and_run', status: 200, run_id: both.id, thread_id: both.thread_id },
    ]);
  });

  it('records refused writes with their status and error, and never the token or output text', async () => {
    const thread = await post<Thread>('/v1/threads', {});
    const refused = await post(`/v1/threads/${thread.body.id}/runs/run_missing/submit_tool_outputs`, {
      tool_outputs: [{ tool_call_id: 'call_1', output: 'the customer password is hunter2' }],
    });
    expect(refused.status).toBe(404);

    const [entry] = (await trail('?run_id=run_missing')).data;
    expect(entry).toMatchObject({
      action: 'submit_tool_outputs',
      status: 404,
      summary: '1 tool output for call_1',
    });
    expect(entry!.error).toMatch(/No run found/);
    const everything = JSON.stringify(await trail(''));
    expect(everything).not.toContain('hunter2');
    expect(everything).not.toContain(TOKEN);
  });

  it('does not record reads, and refuses a bad limit in OpenAI error shape', async () => {
    await server.app.request('/v1/threads', { headers });
    expect((await trail('')).data).toEqual([]);
    const response = await server.app.request('/api/audit?limit=0', { headers });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { param: 'limit', type: 'invalid_request_error' } });
  });

  it('takes who wrote from what the server verified, not from a header the client sets', async () => {
    // A script claiming to be the dashboard, without a browser's Origin.
    const claimed = await post<Thread>('/v1/threads', {}, { 'x-runboard-client': 'dashboard' });
    // A page of Runboard's own: the browser sends its Origin, which the perimeter checked.
    const fromPage = await post<Thread>('/v1/threads', {}, OWN_PAGE);
    const sources = async (threadId: string) =>
      (await trail(`?thread_id=${threadId}`)).data.map((entry) => entry.source);
    expect(await sources(claimed.body.id)).toEqual(['api']);
    expect(await sources(fromPage.body.id)).toEqual(['dashboard']);
  });

  it('refuses a limit that is not plain digits', async () => {
    for (const limit of ['0x10', '1e2', '%205', '5.0']) {
      const response = await server.app.request(`/api/audit?limit=${limit}`, { headers });
      expect(response.status, limit).toBe(400);
    }
  });

  it('is behind the access token like the rest of /api', async () => {
    const response = await server.app.request('/api/audit', { headers: { host: 'localhost:3180' } });
    expect(response.status).toBe(401);
  });
});

describe('the audit trail’s bound', () => {
  const entry = (index: number) => ({
    at: 1_000 + index,
    method: 'POST',
    path: `/v1/threads/thread_${index}/runs`,
    action: 'create_run' as const,
    thread_id: `thread_${index}`,
    run_id: null,
    status: 200,
    source: 'api' as const,
    summary: '',
    error: null,
  });

  it('keeps at most its maximum of entries, pruning the oldest as new ones come', async () => {
    const store = await openTestAuditStore(3);
    try {
      for (let index = 1; index <= 10; index++) await store.record(entry(index));
      expect((await store.list({ limit: 500 })).map((kept) => kept.thread_id)).toEqual([
        'thread_10',
        'thread_9',
        'thread_8',
      ]);
      expect(await store.list({ threadId: 'thread_1' })).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('clips a huge path and ids, so every entry stays small', async () => {
    const store = await openTestAuditStore(3);
    try {
      const huge = 'x'.repeat(50_000);
      await store.record({ ...entry(1), path: `/v1/threads/${huge}`, thread_id: huge, run_id: huge });
      const [kept] = await store.list({});
      expect(JSON.stringify(kept).length).toBeLessThan(2_000);
    } finally {
      store.close();
    }
  });

  it('is set by RUNBOARD_AUDIT_MAX_ENTRIES, 100,000 by default', () => {
    expect(loadConfig({}).auditMaxEntries).toBe(100_000);
    expect(loadConfig({ RUNBOARD_AUDIT_MAX_ENTRIES: '500' }).auditMaxEntries).toBe(500);
    expect(() => loadConfig({ RUNBOARD_AUDIT_MAX_ENTRIES: '1e6' })).toThrow(/RUNBOARD_AUDIT_MAX_ENTRIES/);
  });
});
