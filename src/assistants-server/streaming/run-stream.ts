import type { AssistantStreamEvent } from '../../shared/openai-types';
import type { LifecycleEvent } from '../events/lifecycle-events';
import { RunEventTranslator, type RunStreamScope } from './run-event-translator';
import { DONE_EVENT, KEEP_ALIVE_FRAME, KEEP_ALIVE_MS, sseFrame } from './sse-frames';

/**
 * One client's server-sent-event stream of one run. It is fed the seam's events; it ends after `done` (the run
 * stopped for tool outputs, ended, or failed), or when the client goes away, which leaves the run going on.
 */
export class RunStream {
  readonly body: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private readonly translator: RunEventTranslator;
  private closed = false;
  private lastWriteAt = Date.now();
  private readonly keepAlive: ReturnType<typeof setInterval>;

  constructor(
    scope: RunStreamScope,
    private readonly onClose: (stream: RunStream) => void,
    keepAliveMs = KEEP_ALIVE_MS,
  ) {
    this.translator = new RunEventTranslator(scope);
    this.keepAlive = setInterval(() => {
      if (Date.now() - this.lastWriteAt < keepAliveMs) return;
      this.enqueue(KEEP_ALIVE_FRAME);
    }, keepAliveMs / 3);
    this.keepAlive.unref?.();
    this.body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
      },
      cancel: () => this.close(),
    });
  }

  /** Writes what this change means for the run; closes the stream once the run has nothing more to say. */
  push(event: LifecycleEvent): void {
    if (this.closed) return;
    let out: AssistantStreamEvent[];
    try {
      out = this.translator.translate(event);
    } catch (error) {
      out = this.translator.fail(
        `The stream failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    this.write(out);
  }

  /** Ends the stream with an `error` event (the emulator shutting down, for one). */
  fail(message: string): void {
    if (this.closed) return;
    this.write(this.translator.fail(message));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepAlive);
    try {
      this.controller.close();
    } catch {
      // Already closed or cancelled by the reader.
    }
    this.onClose(this);
  }

  private enqueue(frame: Uint8Array): void {
    this.lastWriteAt = Date.now();
    this.controller.enqueue(frame);
  }

  private write(events: AssistantStreamEvent[]): void {
    for (const event of events) this.enqueue(sseFrame(event));
    if (this.translator.ended) {
      this.enqueue(sseFrame(DONE_EVENT));
      this.close();
    }
  }
}
