import type { ApiError } from '../../shared/openai-types';
import { MASKED_SECRET, maskSecret } from '../../platform/secret-mask';

export interface EventStreamRelayOptions {
  /** Masked out of every frame (a key holds no newline, so it never straddles two frames). */
  secret: string | null;
  /** The longest wait for the upstream's next bytes; past it the relay ends the stream with an `error` event. */
  idleTimeoutMs: number;
  /** Aborts the upstream request: called when the upstream went quiet and when the client went away. */
  abortUpstream: () => void;
  /** The `error` event's data when the upstream sent nothing for `idleTimeoutMs`. */
  idleError: () => ApiError;
  /** The `error` event's data when the upstream connection broke off mid-stream. */
  brokenError: (error: unknown) => ApiError;
  /** The longest unfinished event held (bytes): past it the stream ends with `frameTooLargeError`. */
  maxFrameBytes: number;
  /** The `error` event's data when an event grew past `maxFrameBytes` without its end. */
  frameTooLargeError: () => ApiError;
  /** Complete events as they are released (key masked), for whoever watches the traffic. */
  onEvents?: (text: string) => void;
  onClientGone?: () => void;
}

const FRAME_ENDS = ['\n\n', '\r\n\r\n', '\r\r'];

/**
 * Relays an upstream's server-sent events to the client as they arrive: each complete event is passed on at once
 * (with the key masked), and only an unfinished one waits for its end, so the client never receives half an event.
 * Reads happen only when the client is ready for more, so a slow client slows the upstream rather than filling
 * memory. When the upstream sends nothing for `idleTimeoutMs`, or breaks off, the upstream request is aborted and the
 * stream ends with `event: error` (data: OpenAI's `Error` object, which the SDK raises as an APIError), then closes;
 * an unfinished event is dropped. An event that grows past `maxFrameBytes` without its end ends the stream the same
 * way (memory stays bounded whatever the upstream sends). When the client goes away, the upstream request is aborted.
 */
export function relayEventStream(
  body: ReadableStream<Uint8Array>,
  options: EventStreamRelayOptions,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let held = '';
  let clientGone = false;

  const endWithError = (controller: ReadableStreamDefaultController<Uint8Array>, error: ApiError) => {
    options.abortUpstream();
    reader.cancel().catch(() => {});
    controller.enqueue(encoder.encode(`event: error\ndata: ${JSON.stringify(error)}\n\n`));
    controller.close();
  };

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // Loop until something is released: a pull that resolves empty-handed would leave the client's read waiting.
        for (;;) {
          let next: ReadableStreamReadResult<Uint8Array> | 'idle';
          try {
            next = await readWithin(reader, options.idleTimeoutMs);
          } catch (error) {
            if (!clientGone) endWithError(controller, options.brokenError(error));
            return;
          }
          if (clientGone) return;
          if (next === 'idle') return endWithError(controller, options.idleError());
          if (next.done) {
            held += decoder.decode();
            if (held) controller.enqueue(encoder.encode(maskSecret(held, options.secret, MASKED_SECRET)));
            controller.close();
            return;
          }
          held += decoder.decode(next.value, { stream: true });
          const released = takeComplete();
          if (released) {
            const masked = maskSecret(released, options.secret, MASKED_SECRET);
            options.onEvents?.(masked);
            controller.enqueue(encoder.encode(masked));
            return;
          }
          if (heldBytes() > options.maxFrameBytes)
            return endWithError(controller, options.frameTooLargeError());
        }
      },
      cancel() {
        clientGone = true;
        options.onClientGone?.();
        options.abortUpstream();
        reader.cancel().catch(() => {});
      },
    },
    { highWaterMark: 0 },
  );

  /** The unfinished event's size in bytes (counted only when its length in characters could exceed the bound). */
  function heldBytes(): number {
    return held.length * 3 <= options.maxFrameBytes ? held.length : Buffer.byteLength(held);
  }

  /** Removes and returns the complete events held. */
  function takeComplete(): string {
    const end = Math.max(...FRAME_ENDS.map((ending) => endOf(held.lastIndexOf(ending), ending)));
    if (end <= 0) return '';
    const released = held.slice(0, end);
    held = held.slice(end);
    return released;
  }
}

function endOf(index: number, ending: string): number {
  return index < 0 ? 0 : index + ending.length;
}

/** The next chunk, or 'idle' when none came within `ms`. */
export async function readWithin(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  ms: number,
): Promise<ReadableStreamReadResult<Uint8Array> | 'idle'> {
  let timer: NodeJS.Timeout | undefined;
  const idle = new Promise<'idle'>((resolve) => {
    timer = setTimeout(() => resolve('idle'), ms);
  });
  try {
    return await Promise.race([reader.read(), idle]);
  } finally {
    clearTimeout(timer);
  }
}
