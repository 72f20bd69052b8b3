import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { openAuditStore } from '../audit/audit-store';
import { createApp } from '../app';
import { loadConfig } from '../config';
import { createLogger } from '../../platform/logger';
import { createProxyApi } from './proxy-api';
import { MASKED_SECRET } from '../../platform/secret-mask';
import { answerJson, startFakeUpstream, type FakeUpstream } from './test-support/fake-upstream';

const SERVER_KEY = 'sk-proj-Kq3v9ZsecretKEYthatmustNEVERleave_0123';

let upstream: FakeUpstream;
let dashboardDir: string;
let logLines: string[];
let app: Hono;

beforeEach(async () => {
  upstream = await startFakeUpstream();
  logLines = [];
  dashboardDir = mkdtempSync(join(tmpdir(), 'runboard-dashboard-'));
  mkdirSync(join(dashboardDir, 'assets'));
  writeFileSync(
    join(dashboardDir, 'index.html'),
    '<!doctype html><html><head><script type="module" src="/assets/index-abc.js"></script></head><body><div id="root"></div></body></html>',
  );
  writeFileSync(join(dashboardDir, 'assets', 'index-abc.js'), 'console.log("dashboard");');

  const config = loadConfig({
    OPENAI_BASE_URL: upstream.baseUrl.toString(),
    OPENAI_API_KEY: SERVER_KEY,
    OPENAI_ORG_ID: 'org-1',
    LOG_LEVEL: 'debug',
  });
  const logger = createLogger('debug', (line) => logLines.push(line), false);
  app = createApp({
    config,
    logger,
    backend: {
      mode: 'proxy',
      api: createProxyApi(config.proxy!, logger),
      admin: null,
      capabilities: { listThreads: false, emulatorAdmin: false },
      upstreamHost: config.proxy!.baseUrl.host,
      executor: null,
    },
    dashboardDir,
    audit: openAuditStore(':memory:'),
  });
});

afterEach(async () => {
  await upstream.close();
  rmSync(dashboardDir, { recursive: true, force: true });
});

/** Everything a browser can read of an answer: status line, headers and body. */
async function visible(response: Response): Promise<string> {
  return `${response.status} ${JSON.stringify([...response.headers])} ${await response.text()}`;
}

describe('the server key never reaches the browser or a log', () => {
  it('is not in the page, the assets or /api/config', async () => {
    for (const path of ['/', '/runs/thread_1', '/assets/index-abc.js', '/api/config']) {
      const response = await app.request(path);
      expect(response.status, path).toBe(200);
      expect(await visible(response), path).not.toContain(SERVER_KEY);
    }
    const config = await (await app.request('/api/config')).json();
    expect(config.backend).toEqual({ mode: 'proxy', upstreamHost: upstream.baseUrl.host });
  });

  it('is masked out of an upstream error that echoes it, and out of every log line', async () => {
    upstream.handle((request, response) =>
      answerJson(response, 401, {
        error: {
          message: `Incorrect API key provided: ${request.headers.authorization?.slice('Bearer '.length)}.`,
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      }),
    );
    const response = await app.request('/v1/threads/thread_1/runs');
    expect(response.status).toBe(401);
    const body = await response.json();
    expect(body.error.message).toBe(
      `The upstream ${upstream.baseUrl.host} refused the server's OPENAI_API_KEY: Incorrect API key provided: ${MASKED_SECRET}.`,
    );
    expect(body.error.code).toBe('invalid_api_key');
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(SERVER_KEY);
  });

  it('is masked out of a 404 explanation, a 500 and a successful answer that echo it', async () => {
    const echoes: [string, number][] = [
      ['/v1/threads/thread_1/runs/run_1', 404],
      ['/v1/assistants', 500],
      ['/v1/threads/thread_1', 200],
    ];
    upstream.handle((request, response) => {
      const [, status] = echoes.find(([path]) => path === request.url)!;
      const leak = `key=${request.headers.authorization} encoded=${encodeURIComponent(SERVER_KEY)}`;
      if (status === 200) answerJson(response, 200, { id: 'thread_1', object: 'thread', metadata: { leak } });
      else
        answerJson(response, status, {
          error: { message: leak, type: 'server_error', param: null, code: null },
        });
    });
    for (const [path, status] of echoes) {
      const response = await app.request(path);
      expect(response.status, path).toBe(status);
      const seen = await visible(response);
      expect(seen, path).not.toContain(SERVER_KEY);
      expect(seen, path).toContain(MASKED_SECRET);
    }
    expect(upstream.requests).toHaveLength(3);
    expect(logLines.join('\n')).not.toContain(SERVER_KEY);
  });

  it('is masked out of a streamed run, even when it straddles two chunks', async () => {
    upstream.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const event = `event: thread.run.created\ndata: {"id":"run_1","instructions":"use ${SERVER_KEY}"}\n\n`;
      const cut = event.indexOf(SERVER_KEY) + 10;
      response.write(event.slice(0, cut));
      setImmediate(() => {
        response.write(event.slice(cut));
        response.end('event: done\ndata: [DONE]\n\n');
      });
    });
    const response = await app.request('/v1/threads/thread_1/runs', {
      method: 'POST',
      body: '{"assistant_id":"asst_1","stream":true}',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const text = await response.text();
    expect(text).toBe(
      `event: thread.run.created\ndata: {"id":"run_1","instructions":"use ${MASKED_SECRET}"}\n\nevent: done\ndata: [DONE]\n\n`,
    );
  });

  it('is not in the logs of a dropped connection or a refused route', async () => {
    upstream.handle((_request, response) => response.destroy());
    await app.request('/v1/threads/thread_1/runs');
    await app.request('/v1/threads/thread_1%2F..%2Fx/runs');
    await app.request('/v1/models');
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(SERVER_KEY);
  });
});
