import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorResponse } from '../../shared/openai-types';
import { createLogger } from '../../platform/logger';
import type { ProxyConfig } from '../config';
import { DOWNLOAD_LINK_PARAM } from '../security/download-link';
import { createProxyApi } from './proxy-api';
import { answerJson, startFakeUpstream, type FakeUpstream } from './test-support/fake-upstream';
import { testProxyConfig } from './test-support/proxy-config';

/** Files and vector stores through proxy mode: forwarded, uploads and contents streamed, every read bounded. */
const SERVER_KEY = 'sk-proj-server0key0for0files';
let upstream: FakeUpstream;
beforeEach(async () => (upstream = await startFakeUpstream()));
afterEach(() => upstream.close());

function proxyApp(baseUrl: URL, overrides: Partial<ProxyConfig> = {}): Hono {
  const logger = createLogger('error', () => {}, false);
  const config = testProxyConfig(baseUrl, { apiKey: SERVER_KEY, ...overrides });
  return new Hono().route('/v1', createProxyApi(config, logger));
}

async function errorOf(response: Response): Promise<ErrorResponse['error']> {
  return ((await response.json()) as ErrorResponse).error;
}

/** A body the test writes by hand, so it can wait between pieces. */
function handWrittenBody(): { body: ReadableStream<Uint8Array>; write(bytes: number): void; end(): void } {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (given) => void (controller = given) });
  return {
    body,
    write: (bytes) => controller.enqueue(new Uint8Array(bytes).fill(97)),
    end: () => controller.close(),
  };
}

/** Reads a body to its end; answers the bytes read and whether it ended in an error. */
async function drain(response: Response): Promise<{ bytes: number; failed: boolean }> {
  const reader = response.body!.getReader();
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes, failed: false };
      bytes += value.byteLength;
    }
  } catch {
    return { bytes, failed: true };
  }
}

describe('proxy mode forwards files and vector stores', () => {
  it.each([
    ['GET', '/v1/files?purpose=assistants&limit=2&after=file-1', null],
    ['GET', '/v1/files/file-abc', null],
    ['DELETE', '/v1/files/file-abc', null],
    ['POST', '/v1/vector_stores', '{"name":"docs","file_ids":["file-abc"]}'],
    ['GET', '/v1/vector_stores?limit=5&order=asc', null],
    ['POST', '/v1/vector_stores/vs_1', '{"name":"renamed"}'],
    ['DELETE', '/v1/vector_stores/vs_1', null],
    ['POST', '/v1/vector_stores/vs_1/search', '{"query":"pallets"}'],
    ['GET', '/v1/vector_stores/vs_1/files?filter=completed&limit=3', null],
    ['POST', '/v1/vector_stores/vs_1/files', '{"file_id":"file-abc"}'],
    ['GET', '/v1/vector_stores/vs_1/files/file-abc/content', null],
    ['DELETE', '/v1/vector_stores/vs_1/files/file-abc', null],
    ['POST', '/v1/vector_stores/vs_1/file_batches', '{"file_ids":["file-abc"]}'],
    ['POST', '/v1/vector_stores/vs_1/file_batches/vsfb_1/cancel', null],
    ['GET', '/v1/vector_stores/vs_1/file_batches/vsfb_1/files?filter=failed', null],
  ])('%s %s reaches the upstream as sent, with the server key', async (method, path, body) => {
    upstream.handle((_request, response) =>
      answerJson(response, 200, { object: 'vector_store', id: 'vs_1' }),
    );
    const response = await proxyApp(upstream.baseUrl).request(path, {
      method,
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-browser' },
      body: body ?? undefined,
    });
    expect(response.status).toBe(200);
    const [seen] = upstream.requests;
    expect(`${seen!.method} ${seen!.url}`).toBe(`${method} ${path}`);
    expect(seen!.headers.authorization).toBe(`Bearer ${SERVER_KEY}`);
    if (body) expect(seen!.body).toBe(body);
  });
});

/** An upstream that answers as soon as a request begins, reporting each piece of its body as it arrives. */
async function streamingUpstream(
  onRequest: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ baseUrl: URL; close(): Promise<void> }> {
  const server = createServer(onRequest);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: new URL(`http://127.0.0.1:${port}/v1/`),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('uploads (POST /v1/files) stream to the upstream', () => {
  it('passes the first bytes on before the client has sent the rest', async () => {
    let firstBytesSeen!: () => void;
    const upstreamHasBytes = new Promise<void>((resolve) => (firstBytesSeen = resolve));
    let received = 0;
    let contentType: string | undefined;
    const slow = await streamingUpstream((request, response) => {
      contentType = request.headers['content-type'];
      request.on('data', (chunk: Buffer) => {
        received += chunk.length;
        firstBytesSeen();
      });
      request.on('end', () => answerJson(response, 200, { id: 'file-abc', object: 'file', bytes: received }));
    });
    try {
      const upload = handWrittenBody();
      const answer = proxyApp(slow.baseUrl).request('/v1/files', {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=b' },
        body: upload.body,
        duplex: 'half',
      } as RequestInit);
      upload.write(64 * 1024);
      await upstreamHasBytes; // a proxy that read the whole body first would wait here forever
      upload.write(3 * 1024 * 1024);
      upload.end();
      const response = await answer;
      expect(response.status).toBe(200);
      expect(received).toBe(64 * 1024 + 3 * 1024 * 1024);
      expect(contentType).toBe('multipart/form-data; boundary=b');
    } finally {
      await slow.close();
    }
  });

  it('refuses an upload past the file bound in OpenAI wording and aborts the upstream request', async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    const sink = await streamingUpstream((request) => {
      request.resume();
      request.on('close', () => upstreamClosed());
    });
    try {
      const upload = handWrittenBody();
      const answer = proxyApp(sink.baseUrl, { maxFileBytes: 1024 }).request('/v1/files', {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=b' },
        body: upload.body,
        duplex: 'half',
      } as RequestInit);
      for (let piece = 0; piece < 10; piece++) upload.write(16 * 1024); // 160 KiB: past 1 KiB and the form's 64 KiB
      const response = await answer;
      expect(response.status).toBe(413);
      expect(await errorOf(response)).toEqual({
        message: 'File is too large. The maximum file size is 1024 bytes.',
        type: 'invalid_request_error',
        param: 'file',
        code: 'file_too_large',
      });
      await closed;
    } finally {
      await sink.close();
    }
  });

  it('refuses a declared length past the bound without calling the upstream', async () => {
    const response = await proxyApp(upstream.baseUrl, { maxFileBytes: 1024 }).request('/v1/files', {
      method: 'POST',
      headers: {
        'content-type': 'multipart/form-data; boundary=b',
        'content-length': String(10 * 1024 * 1024),
      },
      body: 'x',
    });
    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe('file_too_large');
    expect(upstream.requests).toEqual([]);
  });
});

describe('file content (GET /v1/files/{id}/content) streams back, bounded', () => {
  it('hands the client the first bytes while the upstream is still sending', async () => {
    let finish!: () => void;
    upstream.handle((_request, response) => {
      response.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-disposition': 'attachment; filename="report.pdf"',
        'set-cookie': 'upstream=1',
      });
      response.write(Buffer.alloc(1000, 1));
      finish = () => response.end(Buffer.alloc(500, 2));
    });
    const response = await proxyApp(upstream.baseUrl).request('/v1/files/file-abc/content');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="report.pdf"');
    expect(response.headers.get('set-cookie')).toBeNull();
    const reader = response.body!.getReader();
    const first = await reader.read(); // a proxy that read the whole answer first would wait here forever
    expect(first.value!.byteLength).toBe(1000);
    finish();
    let rest = 0;
    for (let next = await reader.read(); !next.done; next = await reader.read())
      rest += next.value.byteLength;
    expect(rest).toBe(500);
  });

  it("forwards a download link's path without its signature (the upstream is not told of this server's links)", async () => {
    let asked: string | undefined;
    upstream.handle((request, response) => {
      asked = request.url;
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.end('the bytes');
    });
    const response = await proxyApp(upstream.baseUrl).request(
      `/v1/files/file-abc/content?${DOWNLOAD_LINK_PARAM}=1700000000000.c2lnbmF0dXJl`,
    );
    expect(await response.text()).toBe('the bytes');
    expect(asked).toBe('/v1/files/file-abc/content');
  });

  it('cuts an endless body at the file bound and closes the upstream request', async () => {
    let closed!: () => void;
    const upstreamClosed = new Promise<void>((resolve) => (closed = resolve));
    upstream.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      const timer = setInterval(() => response.write(Buffer.alloc(16 * 1024)), 1);
      response.on('close', () => {
        clearInterval(timer);
        closed();
      });
    });
    const response = await proxyApp(upstream.baseUrl, { maxFileBytes: 256 * 1024 }).request(
      '/v1/files/file-abc/content',
    );
    const { bytes, failed } = await drain(response);
    expect(failed).toBe(true);
    expect(bytes).toBeLessThanOrEqual(256 * 1024);
    await upstreamClosed;
  });

  it('ends a body the upstream stops sending (the timeout bounds each wait) or breaks off', async () => {
    upstream.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.write(Buffer.alloc(100));
    });
    const stalled = await proxyApp(upstream.baseUrl, { timeoutMs: 200 }).request(
      '/v1/files/file-abc/content',
    );
    expect(await drain(stalled)).toEqual({ bytes: 100, failed: true });

    upstream.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '1000' });
      response.write(Buffer.alloc(100), () => response.destroy());
    });
    const broken = await proxyApp(upstream.baseUrl).request('/v1/files/file-abc/content');
    expect((await drain(broken)).failed).toBe(true);
  });
});

describe('JSON answers are read whole only up to a bound', () => {
  it('answers 502 for an endless or oversized answer instead of holding it', async () => {
    upstream.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"object":"list","data":[');
      const timer = setInterval(() => response.write('{"id":"vs_1"},'.repeat(1000)), 1);
      response.on('close', () => clearInterval(timer));
    });
    const response = await proxyApp(upstream.baseUrl, { maxAnswerBytes: 64 * 1024 }).request(
      '/v1/vector_stores',
    );
    expect(response.status).toBe(502);
    const error = await errorOf(response);
    expect(error.code).toBe('upstream_answer_too_large');
    expect(error.message).toContain('GET /v1/vector_stores with more than 65536 bytes');
  });

  it('answers 502 for an answer broken off halfway', async () => {
    upstream.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000' });
      response.write('{"object":"vector_store","id":"vs_', () => response.destroy());
    });
    const response = await proxyApp(upstream.baseUrl).request('/v1/vector_stores/vs_1');
    expect(response.status).toBe(502);
    expect((await errorOf(response)).message).toContain('could not reach the upstream');
  });
});
