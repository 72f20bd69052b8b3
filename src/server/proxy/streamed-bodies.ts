import { readWithin } from './event-stream-relay';

/**
 * A client's upload (`POST /v1/files`) on its way upstream, chunk by chunk as it arrives, never held whole. Each
 * chunk calls `onChunk` (the caller's quiet-time timer starts again); past `maxBytes` the stream errors, which aborts
 * the upstream request, and `passedBound()` says why.
 */
export function boundedUpload(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
  onChunk: () => void,
): { stream: ReadableStream<Uint8Array>; passedBound: () => boolean } {
  let size = 0;
  const stream = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > maxBytes) return controller.error(new Error(`The upload passed ${maxBytes} bytes.`));
        onChunk();
        controller.enqueue(chunk);
      },
    }),
  );
  return { stream, passedBound: () => size > maxBytes };
}

/**
 * An upstream's answer of bytes (a file's content) relayed as it arrives, read only as fast as the client takes it.
 * Past `maxBytes`, or when the upstream sends nothing for `idleTimeoutMs`, or breaks off, the upstream request is
 * aborted and the client's body errors (its headers are gone, so a cut-off body is the only honest signal left);
 * `onFailure` says why. The client going away aborts the upstream request too.
 */
export function relayBytes(
  body: ReadableStream<Uint8Array>,
  options: {
    maxBytes: number;
    idleTimeoutMs: number;
    abortUpstream: () => void;
    onFailure: (reason: string) => void;
  },
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let size = 0;
  const fail = (controller: ReadableStreamDefaultController<Uint8Array>, reason: string) => {
    options.abortUpstream();
    reader.cancel().catch(() => {});
    options.onFailure(reason);
    controller.error(new Error(reason));
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let next: Awaited<ReturnType<typeof readWithin>>;
        try {
          next = await readWithin(reader, options.idleTimeoutMs);
        } catch {
          return fail(controller, 'the upstream broke off the body');
        }
        if (next === 'idle')
          return fail(controller, `the upstream sent nothing for ${options.idleTimeoutMs} ms`);
        if (next.done) return controller.close();
        size += next.value.byteLength;
        if (size > options.maxBytes) return fail(controller, `the body passed ${options.maxBytes} bytes`);
        controller.enqueue(next.value);
      },
      cancel() {
        options.abortUpstream();
        reader.cancel().catch(() => {});
      },
    },
    { highWaterMark: 0 },
  );
}

/** An answer read whole up to `maxBytes` (UTF-8 text); past it the rest is left unread and null answered. */
export async function readBoundedText(response: Response, maxBytes: number): Promise<string | null> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}
