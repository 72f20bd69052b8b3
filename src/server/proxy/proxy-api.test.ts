import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { ErrorResponse } from '../../shared/openai-types';
import type { ProxyConfig } from '../config';
import { testProxyConfig } from './test-support/proxy-config';
import { createLogger } from '../../platform/logger';
import { createProxyApi } from './proxy-api';
import { answerJson, startFakeUpstream, type FakeUpstream } from './test-support/fake-upstream';

const SERVER_KEY = 'sk-proj-server0key0that0must0stay0on0the0server';

let upstream: FakeUpstream;
let logLines: string[];

beforeEach(async () => {
  upstream = await startFakeUpstream();
  logLines = [];
});
afterEach(async () => {
  await upstream.close();
});

function proxyConfig(overrides: Partial<ProxyConfig> = {}): ProxyConfig {
  return testProxyConfig(upstream.baseUrl, {
    apiKey: SERVER_KEY,
    organization: 'org-server',
    project: 'proj-server',
    ...overrides,
  });
}

function proxyApp(overrides: Partial<ProxyConfig> = {}): Hono {
  const logger = createLogger('debug', (line) => logLines.push(line), false);
  return new Hono().route('/v1', createProxyApi(proxyConfig(overrides), logger));
}

async function errorOf(response: Response): Promise<ErrorResponse['error']> {
  const body = (await response.json()) as ErrorResponse;
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
  return body.error;
}

describe('forwarding the Assistants routes Runboard serves', () => {
  it('forwards a run list to the configured base URL with only the known query parameters', async () => {
    upstream.handle((_request, response) =>
      answerJson(response, 200, { object: 'list', data: [], first_id: null, last_id: null, has_more: false }),
    );
    const response = await proxyApp().request(
      '/v1/threads/thread_abc/runs?limit=2&order=asc&after=run_1&before=run_9&include[]=step_details&api-version=x&url=http://evil',
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      object: 'list',
      data: [],
      first_id: null,
      last_id: null,
      has_more: false,
    });
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]!.method).toBe('GET');
    expect(upstream.requests[0]!.url).toBe(
      '/v1/threads/thread_abc/runs?limit=2&order=asc&after=run_1&before=run_9&include%5B%5D=step_details',
    );
  });

  it.each([
    ['GET', '/v1/assistants'],
    ['POST', '/v1/assistants'],
    ['GET', '/v1/assistants/asst_1'],
    ['POST', '/v1/assistants/asst_1'],
    ['DELETE', '/v1/assistants/asst_1'],
    ['POST', '/v1/threads'],
    ['POST', '/v1/threads/runs'],
    ['GET', '/v1/threads/thread_1'],
    ['POST', '/v1/threads/thread_1'],
    ['DELETE', '/v1/threads/thread_1'],
    ['GET', '/v1/threads/thread_1/messages'],
    ['POST', '/v1/threads/thread_1/messages'],
    ['GET', '/v1/threads/thread_1/messages/msg_1'],
    ['POST', '/v1/threads/thread_1/messages/msg_1'],
    ['DELETE', '/v1/threads/thread_1/messages/msg_1'],
    ['GET', '/v1/threads/thread_1/runs'],
    ['POST', '/v1/threads/thread_1/runs'],
    ['GET', '/v1/threads/thread_1/runs/run_1'],
    ['POST', '/v1/threads/thread_1/runs/run_1'],
    ['POST', '/v1/threads/thread_1/runs/run_1/cancel'],
    ['POST', '/v1/threads/thread_1/runs/run_1/submit_tool_outputs'],
    ['GET', '/v1/threads/thread_1/runs/run_1/steps'],
    ['GET', '/v1/threads/thread_1/runs/run_1/steps/step_1'],
  ])('forwards %s %s', async (method, path) => {
    upstream.handle((_request, response) => answerJson(response, 200, { ok: true }));
    const response = await proxyApp().request(path, {
      method,
      ...(method === 'POST'
        ? { body: '{"metadata":{"a":"b"}}', headers: { 'content-type': 'application/json' } }
        : {}),
    });
    expect(response.status).toBe(200);
    expect(upstream.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      `${method} ${path}`,
    ]);
    if (method === 'POST') expect(upstream.requests[0]!.body).toBe('{"metadata":{"a":"b"}}');
  });

  it.each([
    ['GET', '/v1/threads', 403],
    ['PUT', '/v1/threads/thread_1', 403],
    ['PATCH', '/v1/assistants/asst_1', 403],
    ['DELETE', '/v1/threads/thread_1/runs/run_1', 403],
    ['GET', '/v1/threads/thread_1/runs/run_1/cancel', 403],
    ['POST', '/v1/threads/thread_1/runs/run_1/steps', 403],
    ['DELETE', '/v1/threads/thread_1/runs/run_1/steps/step_1', 403],
    ['GET', '/v1/threads/thread_1/runs/run_1/steps/step_1/extra', 404],
    ['POST', '/v1/chat/completions', 404],
    ['GET', '/v1/files/file-1/content/extra', 404],
    ['PUT', '/v1/files/file-1', 403],
    ['DELETE', '/v1/vector_stores/vs_1/file_batches/vsfb_1', 403],
    ['GET', '/v1/models', 404],
    ['GET', '/v1/threads/runs', 403],
    ['DELETE', '/v1/threads/runs', 403],
    ['GET', '/v1/', 404],
    ['GET', '/v1/threads/thread_1/runs/', 404],
  ])('refuses %s %s with %i without calling the upstream', async (method, path, status) => {
    const response = await proxyApp().request(path, { method });
    expect(response.status).toBe(status);
    const error = await errorOf(response);
    expect(error.code).toBe('route_not_forwarded');
    expect(error.message).toContain("Runboard's proxy does not forward");
    expect(upstream.requests).toEqual([]);
  });
});

describe('path smuggling', () => {
  it.each([
    ['an encoded slash', '/v1/threads/thread_1%2F..%2F..%2Fadmin/runs'],
    ['a double encoded slash', '/v1/threads/%2F%2Fevil.example/runs'],
    ['an encoded dot-dot', '/v1/threads/%2e%2e%2fadmin/runs'],
    ['dot-dot with an encoded slash', '/v1/threads/..%2F/runs'],
    ['a double slash', '/v1//evil.example/threads'],
    ['a double slash inside', '/v1/threads//runs'],
    ['an encoded backslash', '/v1/threads/a%5Cevil/runs'],
    ['CRLF', '/v1/threads/thread_1%0D%0AX-Injected:%20yes/runs'],
    ['a bare LF', '/v1/threads/thread_1%0Aevil/runs'],
    ['a NUL', '/v1/threads/thread_1%00/runs'],
    ['a space', '/v1/threads/thread%201/runs'],
    ['a dot in an id', '/v1/threads/thread.1/runs'],
    ['an @ in an id', '/v1/threads/user@evil.example/runs'],
    ['a query smuggled in an id', '/v1/threads/thread_1%3Flimit=1/runs'],
    ['unicode in an id', '/v1/threads/thr%C3%A9ad/runs'],
  ])('refuses %s and never reaches the upstream', async (_label, path) => {
    const response = await proxyApp().request(`http://localhost${path}`, { method: 'GET' });
    expect([403, 404]).toContain(response.status);
    expect((await errorOf(response)).code).toBe('route_not_forwarded');
    expect(upstream.requests).toEqual([]);
  });

  it('refuses raw backslashes, dot segments and double slashes sent on the wire', async () => {
    const api = proxyApp();
    const server = serve({ fetch: api.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      for (const rawPath of [
        '/v1/threads/a\\..\\..\\x/runs',
        '/v1//evil.example/v1/assistants',
        '/v1/threads/../../x/runs',
      ]) {
        const status = await rawGet(port, rawPath);
        expect([400, 403, 404], rawPath).toContain(status);
      }
      expect(upstream.requests).toEqual([]);
    } finally {
      server.close();
    }
  });
});

/** Sends the request target exactly as given, which fetch() would normalise. */
async function rawGet(port: number, rawPath: string): Promise<number> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, path: rawPath, method: 'GET' }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

it('relays an empty 204 answer', async () => {
  upstream.handle((_request, response) => {
    response.writeHead(204);
    response.end();
  });
  const response = await proxyApp().request('/v1/threads/thread_1/runs/run_1/cancel', { method: 'POST' });
  expect(response.status).toBe(204);
  expect(await response.text()).toBe('');
});

describe('headers', () => {
  it("drops the client's credentials and hop-by-hop headers and adds the server's key and the beta header", async () => {
    upstream.handle((_request, response) => answerJson(response, 200, { ok: true }));
    await proxyApp().request('/v1/threads/thread_1/runs', {
      method: 'POST',
      body: '{}',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: 'Bearer sk-the-browser-key',
        cookie: 'session=abc',
        'x-runboard-token': 'dashboard-token',
        'openai-beta': 'assistants=v1',
        'openai-organization': 'org-from-browser',
        'proxy-authorization': 'Basic abc',
        'x-forwarded-for': '10.0.0.1',
        'x-forwarded-host': 'evil.example',
        te: 'trailers',
        upgrade: 'websocket',
        'keep-alive': 'timeout=5',
        origin: 'http://localhost:3180',
        referer: 'http://localhost:3180/runs',
      },
    });
    const headers = upstream.requests[0]!.headers;
    expect(headers.authorization).toBe(`Bearer ${SERVER_KEY}`);
    expect(headers['openai-beta']).toBe('assistants=v2');
    expect(headers['openai-organization']).toBe('org-server');
    expect(headers['openai-project']).toBe('proj-server');
    expect(headers['content-type']).toBe('application/json');
    expect(headers.accept).toBe('application/json');
    for (const dropped of [
      'cookie',
      'x-runboard-token',
      'proxy-authorization',
      'x-forwarded-for',
      'x-forwarded-host',
      'te',
      'upgrade',
      'keep-alive',
      'origin',
      'referer',
    ]) {
      expect(headers[dropped], dropped).toBeUndefined();
    }
  });

  it("sends Azure OpenAI's api-key header and api-version parameter instead of a bearer key", async () => {
    await proxyApp({ keyHeader: 'api-key', apiVersion: '2024-05-01-preview' }).request(
      '/v1/threads/thread_1/runs?limit=5&api-version=1999-01-01',
      { headers: { authorization: 'Bearer sk-the-browser-key' } },
    );
    const seen = upstream.requests[0]!;
    expect(seen.headers['api-key']).toBe(SERVER_KEY);
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.url).toBe('/v1/threads/thread_1/runs?limit=5&api-version=2024-05-01-preview');
  });

  it('sends no Authorization and no organization when none is configured, and keeps the client project header', async () => {
    await proxyApp({ apiKey: null, organization: null, project: null }).request('/v1/assistants', {
      headers: { authorization: 'Bearer sk-the-browser-key', 'openai-project': 'proj-from-dashboard' },
    });
    const headers = upstream.requests[0]!.headers;
    expect(headers.authorization).toBeUndefined();
    expect(headers['openai-organization']).toBeUndefined();
    expect(headers['openai-project']).toBe('proj-from-dashboard');
  });

  it('relays the polling and rate-limit headers but not Set-Cookie, CORS or server headers', async () => {
    upstream.handle((_request, response) =>
      answerJson(
        response,
        200,
        { id: 'run_1' },
        {
          'set-cookie': ['__cf_bm=tracking; Path=/', 'session=upstream'],
          'access-control-allow-origin': '*',
          'access-control-allow-credentials': 'true',
          'x-powered-by': 'Express',
          'strict-transport-security': 'max-age=1',
          'openai-poll-after-ms': '750',
          'x-request-id': 'req_123',
          'x-ratelimit-remaining-requests': '99',
        },
      ),
    );
    const response = await proxyApp().request('/v1/threads/thread_1/runs/run_1');
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('strict-transport-security')).toBeNull();
    expect(response.headers.get('openai-poll-after-ms')).toBe('750');
    expect(response.headers.get('x-request-id')).toBe('req_123');
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('99');
    expect(response.headers.get('content-type')).toBe('application/json');
  });
});

describe('upstream failures', () => {
  it('answers 504 in the API error shape when the upstream does not answer in time, and closes the upstream request', async () => {
    upstream.handle(() => {
      // Never answers.
    });
    const response = await proxyApp({ timeoutMs: 150 }).request('/v1/threads/thread_1/runs/run_1');
    expect(response.status).toBe(504);
    const error = await errorOf(response);
    expect(error.code).toBe('upstream_timeout');
    expect(error.type).toBe('server_error');
    expect(error.message).toBe(
      `The upstream ${upstream.baseUrl.host} did not answer GET /v1/threads/{thread_id}/runs/{run_id} within 150 ms (RUNBOARD_UPSTREAM_TIMEOUT_MS).`,
    );
    await upstream.requests[0]!.closed;
  });

  it('answers 504 too when the upstream sends its headers and then stalls in the body', async () => {
    upstream.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"object":"list","data":[');
    });
    const response = await proxyApp({ timeoutMs: 150 }).request('/v1/threads/thread_1/runs');
    expect(response.status).toBe(504);
    expect((await errorOf(response)).code).toBe('upstream_timeout');
  });

  it('aborts the upstream request when the browser goes away', async () => {
    upstream.handle(() => {
      // Never answers: only the browser leaving ends this request.
    });
    const logger = createLogger('debug', (line) => logLines.push(line), false);
    const app = new Hono().route('/v1', createProxyApi(proxyConfig({ timeoutMs: 600_000 }), logger));
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const browser = new AbortController();
      const arriving = upstream.nextRequest();
      const pending = fetch(`http://127.0.0.1:${port}/v1/threads/thread_1/runs`, { signal: browser.signal });
      const seen = await arriving;
      browser.abort();
      await expect(pending).rejects.toThrow();
      await seen.closed;
      expect(logLines.some((line) => line.includes('browser went away'))).toBe(true);
    } finally {
      server.close();
    }
  });

  it('says the upstream is most likely not an Assistants v2 server when it answers 404 on the runs routes', async () => {
    upstream.handle((request, response) =>
      answerJson(response, 404, {
        error: {
          message: `Invalid URL (${request.method} ${request.url})`,
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      }),
    );
    const response = await proxyApp().request('/v1/threads/thread_1/runs');
    expect(response.status).toBe(404);
    const error = await errorOf(response);
    expect(error.code).toBe('upstream_not_assistants_v2');
    expect(error.message).toContain(
      `The upstream ${upstream.baseUrl.host} answered 404 to GET /v1/threads/{thread_id}/runs (it said: Invalid URL (GET /v1/threads/thread_1/runs))`,
    );
    expect(error.message).toContain('most likely not an Assistants v2 server');
    expect(error.message).toContain('OpenAI shut its own Assistants API down on 2026-08-26');
  });

  it('says the same when a 404 is not even in the API error shape', async () => {
    upstream.handle((_request, response) => {
      response.writeHead(404, { 'content-type': 'text/html' });
      response.end('<h1>Not Found</h1>');
    });
    const response = await proxyApp().request('/v1/threads/thread_1/runs/run_1', {
      method: 'POST',
      body: '{}',
    });
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe('upstream_not_assistants_v2');
  });

  it("passes the API's own not-found answer through unchanged", async () => {
    const notFound = {
      error: {
        message: "No run found with id 'run_9'.",
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    };
    upstream.handle((_request, response) => answerJson(response, 404, notFound));
    const response = await proxyApp().request('/v1/threads/thread_1/runs/run_9');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual(notFound);
  });

  it('passes API errors such as a 400 through with their status', async () => {
    const refused = {
      error: {
        message: "Cannot cancel run with status 'completed'.",
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    };
    upstream.handle((_request, response) => answerJson(response, 400, refused, { 'retry-after': '2' }));
    const response = await proxyApp().request('/v1/threads/thread_1/runs/run_1/cancel', { method: 'POST' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(refused);
  });

  it('wraps a non-JSON gateway error in the API error shape', async () => {
    upstream.handle((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html>Bad Gateway</html>');
    });
    const response = await proxyApp().request('/v1/assistants');
    expect(response.status).toBe(502);
    const error = await errorOf(response);
    expect(error.code).toBe('upstream_error');
    expect(error.message).toBe(
      `The upstream ${upstream.baseUrl.host} answered 502 to GET /v1/assistants without an error in the API's format.`,
    );
  });

  it('answers 502 naming the upstream when nothing listens there', async () => {
    const closedPort = new URL(upstream.baseUrl);
    await upstream.close();
    const response = await proxyApp({ baseUrl: closedPort }).request('/v1/assistants');
    expect(response.status).toBe(502);
    const error = await errorOf(response);
    expect(error.code).toBe('upstream_unreachable');
    expect(error.message).toBe(
      `Runboard could not reach the upstream ${closedPort.host} for GET /v1/assistants (ECONNREFUSED).`,
    );
    upstream = await startFakeUpstream();
  });

  it('does not follow an upstream redirect, so the key never travels elsewhere', async () => {
    const elsewhere = await startFakeUpstream();
    try {
      upstream.handle((_request, response) => {
        response.writeHead(307, { location: new URL('threads', elsewhere.baseUrl).toString() });
        response.end();
      });
      const response = await proxyApp().request('/v1/threads', { method: 'POST', body: '{}' });
      expect(response.status).toBe(502);
      expect((await errorOf(response)).code).toBe('upstream_redirect');
      expect(elsewhere.requests).toEqual([]);
    } finally {
      await elsewhere.close();
    }
  });
});
