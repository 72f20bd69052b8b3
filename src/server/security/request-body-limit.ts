import type { Context, MiddlewareHandler } from 'hono';
import { openAiError } from './openai-error';

/** Fastify's default; Hono has none. The API's largest legitimate bodies (tool outputs) are far below it. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/** `POST /v1/files`: exempt from this bound (`streamedUploads`): the embedded server and the proxy stream and bound it. */
export const STREAMED_UPLOAD_PATH = '/v1/files';

/**
 * How much of an oversized body is still read (and thrown away) so that the client's keep-alive connection stays
 * usable for its next request. Beyond this the 413 says `Connection: close` and the socket is closed after it.
 */
export const DRAIN_LIMIT_BYTES = 8 * 1024 * 1024;

/**
 * Refuses bodies over 1 MiB with a 413 in OpenAI's error shape, and leaves the connection sane: every SDK keeps
 * connections alive, so a socket dropped mid-body would turn one oversized request into a network error on the
 * next, valid one. Hono's `bodyLimit` cancels the body stream, which destroys the socket; this one drains it.
 */
export function requestBodyLimit(options: { streamedUploads?: boolean } = {}): MiddlewareHandler {
  return async (c, next) => {
    // A file upload streams its body (to disk, or upstream) and is bounded where it is answered (512 MB, as OpenAI's).
    if (options.streamedUploads && c.req.method === 'POST' && c.req.path === STREAMED_UPLOAD_PATH)
      return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined && c.req.header('transfer-encoding') === undefined) {
      const length = Number(declared);
      if (length <= MAX_REQUEST_BODY_BYTES) return next();
      // The body is left unread: the Node adapter drains it after the answer (a bounded time and size).
      return tooLarge(c, length > MAX_REQUEST_BODY_BYTES + DRAIN_LIMIT_BYTES);
    }

    const body = c.req.raw.body;
    if (!body) return next();
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > MAX_REQUEST_BODY_BYTES) return drainThenRefuse(c, reader, size);
      chunks.push(value);
    }
    c.req.raw = new Request(c.req.raw, { body: concat(chunks, size) });
    return next();
  };
}

async function drainThenRefuse(
  c: Context,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  read: number,
): Promise<Response> {
  for (let size = read; size <= MAX_REQUEST_BODY_BYTES + DRAIN_LIMIT_BYTES;) {
    const { done, value } = await reader.read();
    if (done) return tooLarge(c, false);
    size += value.length;
  }
  void reader.cancel().catch(() => {});
  return tooLarge(c, true);
}

function tooLarge(c: Context, closeConnection: boolean): Response {
  if (closeConnection) c.header('connection', 'close');
  return openAiError(
    c,
    413,
    `The request body is larger than Runboard's limit of 1 MiB (${MAX_REQUEST_BODY_BYTES} bytes).`,
    'request_body_too_large',
  );
}

function concat(chunks: Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return body;
}
