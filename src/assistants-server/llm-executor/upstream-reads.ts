/**
 * Bounded reads of what the model endpoint sends: a body read whole (an error, a non-streamed completion) and the
 * lines of an event stream. Nothing the upstream sends is held beyond these bounds.
 */

/** The upstream sent more than a bound allows; the read stopped there. The message has no final period. */
export class UpstreamTooLarge extends Error {
  constructor(
    message: string,
    /** Which bound: a body read whole, or one line (event) of a stream. */
    readonly bound: 'body' | 'line',
  ) {
    super(message);
  }
}

/** Reads a body whole, up to `maxBytes`; beyond, the rest is not read and `UpstreamTooLarge` is thrown. */
export async function readBounded(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw new UpstreamTooLarge(`The model's answer is over ${maxBytes} bytes`, 'body');
      parts.push(value);
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(parts).toString('utf8');
}

/** Reads at most `maxBytes` of a body and ignores the rest (an error body: only its message is wanted). */
export async function readPrefix(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value.subarray(0, maxBytes - size));
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(parts).toString('utf8');
}

const NEWLINE = 0x0a;
/**
 * A stream whose bytes are already buffered is read in microtasks only, never giving timers and other requests a
 * turn: a model streaming as fast as loopback allows held the event loop for 200 ms at a time. After this much work
 * the reader waits for the next turn of the loop.
 */
const YIELD_AFTER_MS = 5;

/**
 * Splits a server-sent-event byte stream into the `data` of each event. Comments, `event:`/`id:` lines and blank
 * data are skipped; several `data:` lines of one event are joined with a newline, as the SSE spec says. A line, or
 * one event's data, longer than `maxLineBytes` throws `UpstreamTooLarge` as soon as it is over (a line that never
 * ends is not buffered until the timeout). Each byte is scanned once. Leaving the loop early cancels the body.
 * The work between two turns of the event loop (reading, and what the caller does with each event) stays short.
 */
export async function* sseData(
  body: ReadableStream<Uint8Array>,
  maxLineBytes: number,
): AsyncGenerator<string> {
  const reader = body.getReader();
  let line: Uint8Array[] = [];
  let lineBytes = 0;
  let data: string[] = [];
  let dataBytes = 0;
  const tooLong = () =>
    new UpstreamTooLarge(`The model sent an event stream line over ${maxLineBytes} bytes`, 'line');
  /** Ends the current line; returns an event's data when the line was the blank line that ends it. */
  const endLine = (): string | null => {
    const text = Buffer.concat(line).toString('utf8').replace(/\r$/, '');
    line = [];
    lineBytes = 0;
    if (text === '') {
      const event = data.length > 0 ? data.join('\n') : null;
      data = [];
      dataBytes = 0;
      return event;
    }
    if (text.startsWith('data:')) {
      const value = text.slice(text.startsWith('data: ') ? 6 : 5);
      dataBytes += Buffer.byteLength(value);
      if (dataBytes > maxLineBytes) throw tooLong();
      data.push(value);
    }
    return null;
  };
  let lastYield = performance.now();
  const takeTurns = async () => {
    if (performance.now() - lastYield < YIELD_AFTER_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
    lastYield = performance.now();
  };
  try {
    for (;;) {
      await takeTurns();
      const { done, value } = await reader.read();
      if (done) break;
      let start = 0;
      for (let newline = value.indexOf(NEWLINE); newline !== -1; newline = value.indexOf(NEWLINE, start)) {
        lineBytes += newline - start;
        if (lineBytes > maxLineBytes) throw tooLong();
        line.push(value.subarray(start, newline));
        start = newline + 1;
        const event = endLine();
        if (event !== null) {
          yield event;
          await takeTurns();
        }
      }
      lineBytes += value.byteLength - start;
      if (lineBytes > maxLineBytes) throw tooLong();
      if (start < value.byteLength) line.push(value.subarray(start));
    }
    const last = endLine();
    if (last !== null) yield last;
    if (data.length > 0) yield data.join('\n');
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8, never splitting a character. */
export function utf8Prefix(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.byteLength <= maxBytes) return text;
  let end = Math.max(0, maxBytes);
  // A continuation byte (10xxxxxx) at the cut means the character starting before it does not fit.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}
