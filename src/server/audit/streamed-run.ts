import { createSseParser, type SseBlock } from '../../shared/sse-parser';

/** How much of a stream is searched for its run before giving up (the run's first event comes first). */
const MAX_SEARCHED_CHARS = 64 * 1024;

export interface StreamedRun {
  runId: string;
  threadId: string;
}

/**
 * Passes a `stream: true` answer through unchanged, and tells `onRun` the run of its first `thread.run.*` event: a
 * streamed create answers with events, not a Run, so the run's id is known only once it is on the wire. Back-pressure
 * and a client's disconnect go through to the source as before.
 */
export function watchStreamedRun(
  body: ReadableStream<Uint8Array>,
  onRun: (run: StreamedRun) => void,
): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder();
  let parser: ReturnType<typeof createSseParser> | null = createSseParser();
  let searched = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        controller.enqueue(chunk);
        if (!parser) return;
        const text = decoder.decode(chunk, { stream: true });
        searched += text.length;
        for (const block of parser.push(text)) {
          const run = runOf(block);
          if (run) {
            parser = null;
            onRun(run);
            return;
          }
        }
        if (searched > MAX_SEARCHED_CHARS) parser = null;
      },
    }),
  );
}

function runOf(block: SseBlock): StreamedRun | null {
  if (!block.event?.startsWith('thread.run.') || block.data === undefined) return null;
  try {
    const run = JSON.parse(block.data) as { id?: unknown; thread_id?: unknown };
    return typeof run.id === 'string' && typeof run.thread_id === 'string'
      ? { runId: run.id, threadId: run.thread_id }
      : null;
  } catch {
    return null;
  }
}
