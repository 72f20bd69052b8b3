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

/** Reads a `text/event-stream` body frame by frame in the background, as an SSE client would. */
export function readSse(response: Response): SseReading {
  if (!response.body) throw new Error('no body to read');
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const frames: SseFrame[] = [];
  let buffer = '';
  const ended = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut = buffer.indexOf('\n\n');
      while (cut >= 0) {
        frames.push(parseFrame(buffer.slice(0, cut)));
        buffer = buffer.slice(cut + 2);
        cut = buffer.indexOf('\n\n');
      }
    }
    if (buffer.trim()) throw new Error(`stream ended inside a frame: ${JSON.stringify(buffer)}`);
    return frames;
  })();
  return {
    frames,
    ended,
    disconnect: () => reader.cancel(),
  };
}

function parseFrame(text: string): SseFrame {
  let event: string | null = null;
  const data: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('event: ')) event = line.slice('event: '.length);
    else if (line.startsWith('data: ')) data.push(line.slice('data: '.length));
    else throw new Error(`unexpected line in a server-sent event: ${JSON.stringify(line)}`);
  }
  const raw = data.join('\n');
  return { event, raw, data: raw === '[DONE]' ? raw : JSON.parse(raw) };
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
