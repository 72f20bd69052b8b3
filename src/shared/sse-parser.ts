/**
 * One block of a text/event-stream, up to the blank line that ends it, with the fields it set. An event as
 * EventSource dispatches it is a block with `data`; the others set an id, a retry or carry a comment (`: heartbeat`).
 */
export interface SseBlock {
  id?: string;
  event?: string;
  /** The block's `data:` lines joined by newlines. */
  data?: string;
  /** The server's reconnection delay in ms (`retry:` with digits only). */
  retry?: number;
  /** The block's comment lines (`: text`) joined by newlines. */
  comment?: string;
}

/**
 * An incremental text/event-stream parser, the one client, server and tests read streams with: feed it text as it
 * arrives (chunks may split lines anywhere, lines may end in \n, \r\n or \r), get back the blocks completed so far.
 * It holds only the unfinished line and block: a caller bounds what it feeds (or stops feeding) past its own limit.
 */
export function createSseParser() {
  let buffer = '';
  let block: SseBlock = {};
  let started = false;
  let lastEventId: string | null = null;
  let retryMs: number | null = null;

  const append = (previous: string | undefined, value: string) =>
    previous === undefined ? value : `${previous}\n${value}`;

  function line(text: string, blocks: SseBlock[]) {
    if (text === '') {
      if (started) blocks.push(block);
      block = {};
      started = false;
      return;
    }
    started = true;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === '') block.comment = append(block.comment, value);
    else if (field === 'data') block.data = append(block.data, value);
    else if (field === 'event') block.event = value;
    else if (field === 'id' && !value.includes('\0')) block.id = lastEventId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) block.retry = retryMs = Number(value);
  }

  return {
    push(chunk: string): SseBlock[] {
      buffer += chunk;
      const blocks: SseBlock[] = [];
      let start = 0;
      const ends = /\r\n|\r|\n/g;
      for (let match = ends.exec(buffer); match; match = ends.exec(buffer)) {
        // A lone \r at the very end may be the first half of \r\n: wait for the next chunk.
        if (match[0] === '\r' && match.index === buffer.length - 1) break;
        line(buffer.slice(start, match.index), blocks);
        start = match.index + match[0].length;
      }
      buffer = buffer.slice(start);
      return blocks;
    },
    /** The last event id the stream set, even by a block without data (what to resume from). */
    lastEventId: () => lastEventId,
    /** The server's `retry:` in ms, if it sent one. */
    retryMs: () => retryMs,
    /** Whether text of a block not yet ended is held (a stream that closes now closes inside an event). */
    unfinished: () => started || buffer !== '',
  };
}
