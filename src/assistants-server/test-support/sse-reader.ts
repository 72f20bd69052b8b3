import { createSseParser, type SseBlock } from '../../shared/sse-parser';

/** One server-sent event as a client reads it off the wire: its `event:` name and its `data:` (JSON parsed). */
export interface SseFrame {
  event: string | null;
  data: unknown;
  /** The `data:` line as sent. */
  raw: string;
}

export interface SseReading {
  /** Frames read so far, in order. */
  frames: SseFrame[];
  /** Resolves with every frame once the server closes the stream. */
  ended: Promise<SseFrame[]>;
  /** The client goes away (the reader cancels the body). */
  disconnect(): Promise<void>;
}

/**
 * Reads a `text/event-stream` body frame by frame in the background, as an SSE client would. Strict, as a wire check:
 * a block that is not one `event:` with its `data:` (a comment, an id, a retry) and a stream that ends inside a
 * block fail the reading.
 */
export function readSse(response: Response): SseReading {
  if (!response.body) throw new Error('no body to read');
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parser = createSseParser();
  const frames: SseFrame[] = [];
  const ended = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      for (const block of parser.push(decoder.decode(value, { stream: true }))) frames.push(frameOf(block));
    }
    if (parser.unfinished()) throw new Error('stream ended inside a frame');
    return frames;
  })();
  return {
    frames,
    ended,
    disconnect: () => reader.cancel(),
  };
}

function frameOf(block: SseBlock): SseFrame {
  const { event, data: raw, ...others } = block;
  if (raw === undefined || Object.keys(others).length > 0)
    throw new Error(`unexpected block in a server-sent event stream: ${JSON.stringify(block)}`);
  return { event: event ?? null, raw, data: raw === '[DONE]' ? raw : JSON.parse(raw) };
}

/** Event names in order, each run of one delta event folded into a single `name…` entry. */
export function eventOutline(frames: SseFrame[]): string[] {
  const outline: string[] = [];
  frames.forEach((frame, index) => {
    const name = frame.event ?? '(unnamed)';
    if (!name.endsWith('.delta')) outline.push(name);
    else if (frames[index - 1]?.event !== name) outline.push(`${name}…`);
  });
  return outline;
}
