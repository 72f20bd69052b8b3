import { createSseParser, type SseBlock } from '../../../shared/sse-parser';

/** One server-sent-events frame as a client reads it: the fields its block set, comments included. */
export type SseFrame = SseBlock;

/** Reads an SSE response frame by frame (comments included), as EventSource would parse it. */
export class SseReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private readonly parser = createSseParser();
  private readonly frames: SseFrame[] = [];

  constructor(response: Response) {
    this.reader = response.body!.getReader();
  }

  /** The next `count` frames that satisfy `keep` (bounded wait). */
  async next(
    count: number,
    keep: (frame: SseFrame) => boolean = () => true,
    timeoutMs = 5_000,
  ): Promise<SseFrame[]> {
    const taken: SseFrame[] = [];
    const deadline = Date.now() + timeoutMs;
    while (taken.length < count) {
      const frame = this.frames.shift();
      if (frame) {
        if (keep(frame)) taken.push(frame);
        continue;
      }
      if (Date.now() > deadline) throw new Error(`only ${taken.length} of ${count} frames arrived`);
      const chunk = await Promise.race([
        this.reader.read(),
        new Promise<'timeout'>((resolve) =>
          setTimeout(() => resolve('timeout'), Math.max(1, deadline - Date.now())),
        ),
      ]);
      if (chunk === 'timeout') continue;
      if (chunk.done) throw new Error(`the stream ended after ${taken.length} of ${count} frames`);
      this.frames.push(...this.parser.push(this.decoder.decode(chunk.value, { stream: true })));
    }
    return taken;
  }

  /** Events only (frames with data), as EventSource dispatches them. */
  events(count: number, timeoutMs?: number): Promise<SseFrame[]> {
    return this.next(count, (frame) => frame.data !== undefined, timeoutMs);
  }

  async close(): Promise<void> {
    await this.reader.cancel();
  }
}
