import { afterEach, describe, expect, it } from 'vitest';
import type { ErrorResponse } from '../../shared/openai-types';
import { createPerimeterApp, type PerimeterApp } from './test-support/perimeter-app';

let perimeter: PerimeterApp;
afterEach(() => perimeter.cleanup());

const MESSAGES = '/v1/threads/thread_1/messages';

/** A body sent in chunks without Content-Length, as a streaming client would. */
function chunkedBody(totalBytes: number): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(64 * 1024).fill(120);
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= totalBytes) return controller.close();
      const size = Math.min(chunk.length, totalBytes - sent);
      controller.enqueue(chunk.subarray(0, size));
      sent += size;
    },
  });
}

describe('request body limit', () => {
  it('accepts a body of exactly 1 MiB', async () => {
    perimeter = createPerimeterApp();
    const response = await perimeter.app.request(MESSAGES, {
      method: 'POST',
      headers: { host: 'localhost:3180', 'content-type': 'application/json' },
      body: 'x'.repeat(1_048_576),
    });
    expect(response.status).toBe(200);
    expect(perimeter.backendCalls).toEqual(['message 1048576']);
  });

  it('answers 413 in the API error shape for one byte more, and the backend never sees it', async () => {
    perimeter = createPerimeterApp();
    const response = await perimeter.app.request(MESSAGES, {
      method: 'POST',
      headers: { host: 'localhost:3180', 'content-type': 'application/json' },
      body: 'x'.repeat(1_048_577),
    });
    expect(response.status).toBe(413);
    expect((await response.json()) as ErrorResponse).toEqual({
      error: {
        message: "The request body is larger than Runboard's limit of 1 MiB (1048576 bytes).",
        type: 'invalid_request_error',
        param: null,
        code: 'request_body_too_large',
      },
    });
    expect(perimeter.backendCalls).toEqual([]);
  });

  it('answers 413 for an oversized body streamed without Content-Length', async () => {
    perimeter = createPerimeterApp();
    const response = await perimeter.app.request(MESSAGES, {
      method: 'POST',
      headers: { host: 'localhost:3180', 'content-type': 'application/json' },
      body: chunkedBody(3 * 1_048_576),
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(perimeter.backendCalls).toEqual([]);
  });

  it('lets a file upload stream past 1 MiB, to the embedded server and in proxy mode (each bounds it at 512 MB)', async () => {
    const upload = () =>
      perimeter.app.request('/v1/files', {
        method: 'POST',
        headers: { host: 'localhost:3180', 'content-type': 'application/octet-stream' },
        body: chunkedBody(3 * 1024 * 1024),
        duplex: 'half',
      } as RequestInit);
    perimeter = createPerimeterApp();
    expect((await upload()).status).toBe(200);
    expect(perimeter.backendCalls).toEqual(['file started', 'file 3145728']);
    perimeter.cleanup();

    perimeter = createPerimeterApp({ OPENAI_BASE_URL: 'http://upstream.test/v1', OPENAI_API_KEY: 'sk-test' });
    expect((await upload()).status).toBe(200);
    expect(perimeter.backendCalls).toEqual(['file started', 'file 3145728']);
  });

  it('hands a file upload to the embedded server while it is still arriving (nothing before it reads it whole)', async () => {
    perimeter = createPerimeterApp();
    let body!: ReadableStreamDefaultController<Uint8Array>;
    const answer = perimeter.app.request('/v1/files', {
      method: 'POST',
      headers: { host: 'localhost:3180', 'content-type': 'multipart/form-data; boundary=x' },
      body: new ReadableStream<Uint8Array>({ start: (controller) => void (body = controller) }),
      duplex: 'half',
    } as RequestInit);
    body.enqueue(new Uint8Array(64 * 1024));
    for (let attempt = 0; attempt < 300 && perimeter.backendCalls.length === 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(perimeter.backendCalls).toEqual(['file started']);
    body.close();
    expect((await answer).status).toBe(200);
  });
});
