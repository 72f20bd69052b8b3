import type { Context } from 'hono';
import type { ChangeEvent } from '../../shared/runs-query-types';
import type { ChangeFeed } from './change-feed';
import { queryParamError } from '../runs-api/query-param-error';

export const HEARTBEAT_MS = 15_000;
/** A client this far behind (bytes queued and unread) is dropped; it reconnects with Last-Event-ID and catches up. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;
const RETRY_MS = 2_000;

const encoder = new TextEncoder();

function frame(event: ChangeEvent): string {
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * GET /api/changes: the change feed as server-sent events. Replays what a reconnecting client missed (from
 * `Last-Event-ID` or `?last_event_id=`), or tells it `reset` when the feed no longer holds that id; then streams
 * every change, with a heartbeat comment while nothing happens. The stream's listener is removed as soon as the
 * client goes away.
 */
export function changesStream(c: Context, feed: ChangeFeed, heartbeatMs = HEARTBEAT_MS): Response {
  const fromQuery = c.req.query('last_event_id');
  const fromHeader = c.req.header('last-event-id');
  const raw = fromHeader ?? fromQuery;
  let resumeFrom: number | null = null;
  if (raw !== undefined && raw.trim() !== '') {
    const parsed = Number(raw);
    if (!Number.isSafeInteger(parsed) || parsed < 0) {
      // A browser resends whatever id it last saw; only an explicit query parameter is a client's mistake.
      if (fromHeader === undefined) {
        throw queryParamError(
          'last_event_id',
          `expected the id of a change (a non-negative integer), got '${raw}'.`,
        );
      }
      resumeFrom = -1;
    } else resumeFrom = parsed;
  }

  let stop = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let unsubscribe = () => {};
      const timer: { heartbeat?: ReturnType<typeof setInterval> } = {};
      const signal = c.req.raw.signal;
      const end = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearInterval(timer.heartbeat);
        signal.removeEventListener('abort', end);
        try {
          controller.close();
        } catch {
          // Already cancelled by the client.
        }
      };
      stop = end;
      const write = (text: string) => {
        if (closed) return;
        controller.enqueue(encoder.encode(text));
        if ((controller.desiredSize ?? 0) < -MAX_QUEUED_BYTES) end();
      };

      write(`retry: ${RETRY_MS}\n\n`);
      if (resumeFrom === null) {
        // Sets the browser's last event id right away, so a reconnect before any change still resumes from here.
        write(`id: ${feed.lastSeq()}\n\n`);
      } else {
        const missed = feed.since(resumeFrom);
        if ('reset' in missed) {
          write(frame({ type: 'reset', seq: feed.lastSeq(), reason: missed.reset, thread_ids: null }));
        } else {
          for (const event of missed.events) write(frame(event));
        }
      }
      if (closed) return;
      unsubscribe = feed.subscribe({ change: (event) => write(frame(event)), close: end });
      timer.heartbeat = setInterval(() => write(': heartbeat\n\n'), heartbeatMs);
      if (signal.aborted) end();
      else signal.addEventListener('abort', end);
    },
    cancel() {
      stop();
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    },
  });
}
