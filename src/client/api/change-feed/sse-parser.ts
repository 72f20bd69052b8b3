/** One server-sent event, as the text/event-stream format defines it. */
export interface SseFrame {
  /** The last event id set so far (an `id:` line sets it for this frame and the next ones, as in EventSource). */
  id: string | null;
  event: string;
  data: string;
}

/**
 * An incremental parser of text/event-stream: feed it the text as it arrives (chunks may split lines anywhere), get
 * back the complete frames. Comments (`: heartbeat`) yield nothing; `retry` is read and kept.
 */
export function createSseParser() {
  let buffer = '';
  let id: string | null = null;
  let event = '';
  let data: string[] = [];
  let retryMs: number | null = null;

  function line(text: string, frames: SseFrame[]) {
    if (text === '') {
      if (data.length > 0) frames.push({ id, event: event || 'message', data: data.join('\n') });
      event = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) retryMs = Number(value);
  }

  return {
    push(chunk: string): SseFrame[] {
      buffer += chunk;
      const frames: SseFrame[] = [];
      for (;;) {
        const match = /\r\n|\r|\n/.exec(buffer);
        // A lone \r at the very end may be the first half of \r\n: wait for the next chunk.
        if (!match || (match[0] === '\r' && match.index === buffer.length - 1)) break;
        line(buffer.slice(0, match.index), frames);
        buffer = buffer.slice(match.index + match[0].length);
      }
      return frames;
    },
    /** The last event id the stream set, even by a frame without data (what to resume from). */
    lastEventId: () => id,
    /** The server's `retry:` in ms, if it sent one. */
    retryMs: () => retryMs,
  };
}
