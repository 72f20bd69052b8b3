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
  let searching = true;
  let text = '';
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        controller.enqueue(chunk);
        if (!searching) return;
        text += decoder.decode(chunk, { stream: true });
        const frames = text.replace(/\r\n?/g, '\n').split('\n\n');
        text = frames.pop() ?? '';
        for (const frame of frames) {
          const run = runOf(frame);
          if (run) {
            searching = false;
            text = '';
            onRun(run);
            return;
          }
        }
        if (text.length > MAX_SEARCHED_CHARS) {
          searching = false;
          text = '';
        }
      },
    }),
  );
}

function runOf(frame: string): StreamedRun | null {
  let event = '';
  const data: string[] = [];
  for (const line of frame.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (!event.startsWith('thread.run.')) return null;
  try {
    const run = JSON.parse(data.join('\n')) as { id?: unknown; thread_id?: unknown };
    return typeof run.id === 'string' && typeof run.thread_id === 'string'
      ? { runId: run.id, threadId: run.thread_id }
      : null;
  } catch {
    return null;
  }
}
