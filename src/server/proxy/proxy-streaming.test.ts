import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { DEFAULT_PROXY_MAX_FRAME_BYTES, type ProxyConfig } from '../config';
import { testProxyConfig } from './test-support/proxy-config';
import { createLogger } from '../../platform/logger';
import { createProxyApi } from './proxy-api';
import {
  openEventStream,
  startFakeUpstream,
  streamSlowly,
  type EventStreamWriter,
  type FakeUpstream,
} from './test-support/fake-upstream';

/** Streamed answers (`stream: true`) through the proxy, over a real HTTP server, against a fake upstream. */
const SERVER_KEY = 'sk-proj-stream0key0that0must0stay0on0the0server';

let upstream: FakeUpstream;
let logLines: string[];
let server: ServerType | null;

beforeEach(async () => {
  upstream = await startFakeUpstream();
  logLines = [];
  server = null;
});
afterEach(async () => {
  server?.close();
  await upstream.close();
});

async function startProxy(overrides: Partial<ProxyConfig> = {}): Promise<string> {
  const config = testProxyConfig(upstream.baseUrl, { apiKey: SERVER_KEY, ...overrides });
  const logger = createLogger('debug', (line) => logLines.push(line), false);
  const app = new Hono().route('/v1', createProxyApi(config, logger));
  server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server!.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

const streamRequest = (signal?: AbortSignal): RequestInit => ({
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    authorization: 'Bearer sk-browser-key-must-not-travel',
    cookie: 'session=abc',
  },
  body: '{"assistant_id":"asst_1","stream":true}',
  signal,
});

/** Reads from the body until `text` has arrived (or the body ends); returns everything read so far. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, text: string, sofar = '') {
  const decoder = new TextDecoder();
  let received = sofar;
  while (!received.includes(text)) {
    const { done, value } = await reader.read();
    if (done) break;
    received += decoder.decode(value, { stream: true });
  }
  return received;
}

const RUN_CREATED = { id: 'run_1', object: 'thread.run', status: 'queued' };
const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

describe('a streamed run through the proxy', () => {
  it('passes each event on as it arrives, with the key added upstream and never shown to the client', async () => {
    const base = await startProxy();
    let writer: EventStreamWriter | undefined;
    upstream.handle((_request, response) => {
      writer = openEventStream(response, { 'set-cookie': 'upstream=1', 'x-request-id': 'req_stream' });
      writer.send('thread.run.created', RUN_CREATED);
    });
    const response = await fetch(`${base}/threads/thread_1/runs`, streamRequest());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('x-request-id')).toBe('req_stream');
    expect(response.headers.get('set-cookie')).toBeNull();

    const reader = response.body!.getReader();
    const first = await readUntil(reader, '\n\n');
    // The first event reached the client while the upstream is still streaming: nothing waits for the end.
    expect(first).toBe(frame('thread.run.created', RUN_CREATED));
    expect(writer!.finished).toBe(false);

    writer!.send('thread.run.queued', { ...RUN_CREATED, note: `echoing ${SERVER_KEY}` });
    writer!.done();
    const all = await readUntil(reader, '[DONE]', first);
    expect(all).toBe(
      frame('thread.run.created', RUN_CREATED) +
        frame('thread.run.queued', { ...RUN_CREATED, note: 'echoing [redacted OPENAI_API_KEY]' }) +
        'event: done\ndata: [DONE]\n\n',
    );
    expect((await reader.read()).done).toBe(true);

    const seen = upstream.requests[0]!;
    expect(seen.body).toBe('{"assistant_id":"asst_1","stream":true}');
    expect(seen.headers.authorization).toBe(`Bearer ${SERVER_KEY}`);
    expect(seen.headers['openai-beta']).toBe('assistants=v2');
    expect(seen.headers.cookie).toBeUndefined();
    expect(JSON.stringify([...response.headers])).not.toContain(SERVER_KEY);
    expect(logLines.join('\n')).not.toContain(SERVER_KEY);
  });

  it('reads an event split across chunks only once it is complete, so the client never gets half an event', async () => {
    const base = await startProxy();
    let writer: EventStreamWriter | undefined;
    upstream.handle((_request, response) => {
      writer = openEventStream(response);
      writer.write('event: thread.run.created\ndata: {"id":"ru');
    });
    const response = await fetch(`${base}/threads/thread_1/runs/run_1/submit_tool_outputs`, streamRequest());
    const reader = response.body!.getReader();
    const reading = readUntil(reader, '\n\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    writer!.write('n_1"}\n\nevent: thread.run.queued\n');
    expect(await reading).toBe('event: thread.run.created\ndata: {"id":"run_1"}\n\n');
    writer!.write('data: {"id":"run_1"}\n\n');
    writer!.done();
    expect(await readUntil(reader, '[DONE]')).toBe(
      'event: thread.run.queued\ndata: {"id":"run_1"}\n\nevent: done\ndata: [DONE]\n\n',
    );
  });

  it('lets a stream run longer than the timeout as long as the upstream never goes quiet that long', async () => {
    const base = await startProxy({ timeoutMs: 1_000 });
    upstream.handle((_request, response) => streamSlowly(response, 10, 150));
    const response = await fetch(`${base}/threads/thread_1/runs`, streamRequest());
    const text = await response.text();
    expect(text.match(/event: thread\.message\.delta/g)).toHaveLength(10);
    expect(text.endsWith('event: done\ndata: [DONE]\n\n')).toBe(true);
    expect(text).not.toContain('event: error');
  });

  it('ends a stream whose upstream goes quiet with an error event, and aborts the upstream request', async () => {
    const base = await startProxy({ timeoutMs: 200 });
    upstream.handle((_request, response) => {
      const writer = openEventStream(response);
      writer.send('thread.run.created', RUN_CREATED);
      writer.write('event: thread.run.queued\ndata: {"id":'); // then nothing more
    });
    const response = await fetch(`${base}/threads/thread_1/runs`, streamRequest());
    const text = await response.text();
    const error = {
      message: `The upstream ${upstream.baseUrl.host} sent nothing on the stream of POST /v1/threads/{thread_id}/runs for 200 ms (RUNBOARD_UPSTREAM_TIMEOUT_MS bounds each wait of a stream), so Runboard ended it.`,
      type: 'server_error',
      param: null,
      code: 'upstream_timeout',
    };
    // The unfinished event is dropped; the stream ends right after the error event.
    expect(text).toBe(frame('thread.run.created', RUN_CREATED) + frame('error', error));
    await upstream.requests[0]!.closed;
    expect(logLines.some((line) => line.includes('upstream stream went quiet'))).toBe(true);
  });

  it("raises the idle timeout in the SDK's stream as an APIError with the proxy's message", async () => {
    const base = await startProxy({ timeoutMs: 200 });
    upstream.handle((_request, response) =>
      openEventStream(response).send('thread.run.created', RUN_CREATED),
    );
    const client = new OpenAI({ apiKey: 'anything', baseURL: base, maxRetries: 0 });
    const stream = await client.beta.threads.runs.create('thread_1', {
      assistant_id: 'asst_1',
      stream: true,
    });
    const events: string[] = [];
    const failure = await (async () => {
      for await (const event of stream) events.push(event.event);
    })().catch((error: unknown) => error);
    expect(events).toEqual(['thread.run.created']);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as Error).message).toContain(
      'sent nothing on the stream of POST /v1/threads/{thread_id}/runs',
    );
  });

  it('ends the stream with an error event when the upstream breaks off mid-stream', async () => {
    const base = await startProxy();
    upstream.handle((_request, response) => {
      openEventStream(response).send('thread.run.created', RUN_CREATED);
      setTimeout(() => response.destroy(), 20);
    });
    const response = await fetch(`${base}/threads/thread_1/runs`, streamRequest());
    const text = await response.text();
    expect(text.startsWith(frame('thread.run.created', RUN_CREATED))).toBe(true);
    const [, data] = /event: error\ndata: (.*)\n\n$/.exec(text) ?? [];
    expect(JSON.parse(data!)).toMatchObject({ code: 'upstream_unreachable', type: 'server_error' });
  });

  it('ends the stream with an error event when an upstream event grows past the bound without its end (a 200 MB frame)', async () => {
    const base = await startProxy();
    const MIB = 1024 * 1024;
    let written = 0;
    upstream.handle((_request, response) => {
      const writer = openEventStream(response);
      writer.send('thread.run.created', RUN_CREATED);
      writer.write('event: thread.message.delta\ndata: {"delta":"');
      const piece = 'x'.repeat(MIB);
      // 200 MB of one event with no end, written as fast as the proxy reads it.
      const writeMore = () => {
        while (written < 200 * MIB && !response.destroyed) {
          written += MIB;
          if (!response.write(piece)) return void response.once('drain', writeMore);
        }
      };
      writeMore();
    });
    const response = await fetch(`${base}/threads/thread_1/runs`, streamRequest());
    const text = await response.text();
    expect(text.startsWith(frame('thread.run.created', RUN_CREATED))).toBe(true);
    const [, data] = /event: error\ndata: (.*)\n\n$/.exec(text) ?? [];
    expect(JSON.parse(data!)).toEqual({
      message: `The upstream ${upstream.baseUrl.host} sent an event longer than ${DEFAULT_PROXY_MAX_FRAME_BYTES} bytes on the stream of POST /v1/threads/{thread_id}/runs (RUNBOARD_PROXY_MAX_FRAME_BYTES bounds each streamed event), so Runboard ended it.`,
      type: 'server_error',
      param: null,
      code: 'upstream_frame_too_large',
    });
    // Nothing of the overlong event reached the client, and the upstream request was ended long before 200 MB.
    expect(text.length).toBeLessThan(2_000);
    await upstream.requests[0]!.closed;
    expect(written).toBeLessThan(64 * MIB);
    expect(logLines.some((line) => line.includes('overlong streamed event'))).toBe(true);
  });

  it('aborts the upstream request when the client leaves mid-stream', async () => {
    const base = await startProxy({ timeoutMs: 600_000 });
    upstream.handle((_request, response) =>
      openEventStream(response).send('thread.run.created', RUN_CREATED),
    );
    const client = new AbortController();
    const arriving = upstream.nextRequest();
    const response = await fetch(`${base}/threads/thread_1/runs`, streamRequest(client.signal));
    const seen = await arriving;
    const reader = response.body!.getReader();
    expect(await readUntil(reader, '\n\n')).toBe(frame('thread.run.created', RUN_CREATED));
    client.abort();
    await seen.closed;
    expect(logLines.some((line) => line.includes('client left a stream'))).toBe(true);
  });
});
