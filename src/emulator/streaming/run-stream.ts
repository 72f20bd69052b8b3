import type { AssistantStreamEvent } from '../../shared/openai-types';
import type { LifecycleEvent } from '../events/lifecycle-events';
import { RunEventTranslator, type RunStreamScope } from './run-event-translator';
import { DONE_EVENT, sseFrame } from './sse-frames';

/**
 * One client's server-sent-event stream of one run. It is fed the seam's events; it ends after `done` (the run
 * stopped for tool outputs, ended, or failed), or when the client goes away, which leaves the run going on.
 */
export class RunStream {
  readonly body: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private readonly translator: RunEventTranslator;
  private closed = false;

  constructor(
    scope: RunStreamScope,
    private readonly onClose: (stream: RunStream) => void,
  ) {
    this.translator = new RunEventTranslator(scope);
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
    try {
      this.controller.close();
    } catch {
      // Already closed or cancelled by the reader.
    }
    this.onClose(this);
  }

  private write(events: AssistantStreamEvent[]): void {
    for (const event of events) this.controller.enqueue(sseFrame(event));
    if (this.translator.ended) {
      this.controller.enqueue(sseFrame(DONE_EVENT));
      this.close();
    }
  }
}
