import type { Context } from 'hono';
import { encodeFrame, type ChangeFeed, type FeedReset } from './change-feed';
import { queryParamError } from '../query-api/query-param-error';
import { decimalInteger, excerpt } from '../../platform/request-input';

export const HEARTBEAT_MS = 15_000;
const RETRY_MS = 2_000;

const encoder = new TextEncoder();

function resetFrame(feed: ChangeFeed, reason: FeedReset): Uint8Array {
  return encodeFrame({ type: 'reset', seq: feed.lastSeq(), reason, thread_ids: null });
}

/**
 * Cuts a client off and drops what is queued for it at once (closing would keep the queue until it is read). Over
 * Node the response's socket is destroyed: the adapter then cancels the stream, which discards its queue, and logs
 * nothing. Elsewhere (`app.request`) the stream is errored, which discards the queue too.
 */
function dropConnection(c: Context, controller: ReadableStreamDefaultController, reason: Error): void {
  const outgoing = (c.env as { outgoing?: { destroy(): void } } | undefined)?.outgoing;
  if (outgoing) outgoing.destroy();
  else controller.error(reason);
}

/**
 * GET /api/changes: the change feed as server-sent events. Replays what a reconnecting client missed (from
 * `Last-Event-ID` or `?last_event_id=`), or tells it `reset` when the feed no longer holds that id; then streams
 * every change, with a heartbeat comment while nothing happens. The stream's listener is removed as soon as the
 * client goes away.
 *
 * Memory per stream is bounded in bytes (`feed.maxUnreadBytes`, a byte-length queuing strategy): missed changes are
 * replayed only as the client reads them, and a client that stops reading while live changes keep coming is dropped
 * once more than the limit is queued for it (it reconnects with Last-Event-ID and catches up, or is told `reset`).
 * Frames are the feed's shared bytes, never a copy per stream.
 */
export async function changesStream(
  c: Context,
  feed: ChangeFeed,
  heartbeatMs = HEARTBEAT_MS,
): Promise<Response> {
  const fromQuery = c.req.query('last_event_id');
  const fromHeader = c.req.header('last-event-id');
  const raw = fromHeader ?? fromQuery;
  let resumeFrom: number | null = null;
  if (raw !== undefined && raw.trim() !== '') {
    const parsed = decimalInteger(raw);
    if (parsed === null) {
      // A browser resends whatever id it last saw; only an explicit query parameter is a client's mistake.
      if (fromHeader === undefined) {
        throw queryParamError(
          'last_event_id',
          `expected the id of a change (a non-negative integer), got '${excerpt(raw)}'.`,
        );
      }
      resumeFrom = -1;
    } else resumeFrom = parsed;
  }

  // The database does not answer: refused (a 503 naming it, from the error handler) rather than a stream that looks
  // live and stays silent; the browser polls meanwhile and reconnects once a poll succeeds.
  const unavailable = feed.unavailable();
  if (unavailable !== null) throw unavailable;
  const verdict = resumeFrom === null ? null : await feed.check(resumeFrom);

  /**
   * The seq of the last change queued for this client; `catchUp` queues the ones after it while there is room, from
   * the replay buffer or, for what it dropped, a page at a time from the source's log (`reading` meanwhile).
   */
  const cursor = { sent: 0, reading: false, catchUp: () => {} };
  let stop = () => {};
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        let closed = false;
        let unsubscribe = () => {};
        const timer: { heartbeat?: ReturnType<typeof setInterval> } = {};
        const signal = c.req.raw.signal;
        const finish = (reason?: Error) => {
          if (closed) return;
          closed = true;
          unsubscribe();
          clearInterval(timer.heartbeat);
          signal.removeEventListener('abort', end);
          try {
            if (reason) dropConnection(c, controller, reason);
            else controller.close();
          } catch {
            // Already cancelled by the client.
          }
        };
        const end = () => finish();
        stop = end;
        /** desiredSize is the limit minus the bytes queued and not yet read. */
        const room = () => controller.desiredSize ?? 0;
        const enqueue = (bytes: Uint8Array) => {
          if (!closed) controller.enqueue(bytes);
        };

        enqueue(encoder.encode(`retry: ${RETRY_MS}\n\n`));
        if (verdict === null) {
          // Sets the browser's last event id right away, so a reconnect before any change still resumes from here.
          enqueue(encoder.encode(`id: ${feed.lastSeq()}\n\n`));
          cursor.sent = feed.lastSeq();
        } else {
          if (verdict !== 'ok') enqueue(resetFrame(feed, verdict));
          cursor.sent = verdict === 'ok' ? resumeFrom! : feed.lastSeq();
        }
        const readLog = () => {
          cursor.reading = true;
          feed.readAfter(cursor.sent).then(
            (page) => {
              // Enqueueing may pull at once: the cursor moves first, and reading ends after.
              cursor.sent = Math.max(cursor.sent, page.upTo);
              for (const frame of page.frames) enqueue(frame.bytes);
              cursor.reading = false;
              cursor.catchUp();
            },
            // The database did not answer: the browser reconnects with its last id and resumes from there.
            () => finish(new Error('The change log could not be read.')),
          );
        };
        cursor.catchUp = () => {
          while (!closed && !cursor.reading && cursor.sent < feed.lastSeq() && room() > 0) {
            const next = feed.frameAfter(cursor.sent);
            if (next === 'dropped') {
              if (feed.readsLog) return readLog();
              enqueue(resetFrame(feed, 'too_far_behind'));
              cursor.sent = feed.lastSeq();
            } else if (next === null) {
              cursor.sent = feed.lastSeq();
            } else {
              enqueue(next.bytes);
              cursor.sent = next.seq;
            }
          }
        };
        cursor.catchUp();
        unsubscribe = feed.subscribe({
          change: (next) => {
            // Still catching up: this change is in the buffer and is sent in its turn.
            if (closed || cursor.reading || feed.frameAfter(cursor.sent) !== next) return;
            cursor.sent = next.seq;
            // A client is cut when its unread bytes pass the limit, never for one change larger than the limit alone.
            const hadUnread = room() < feed.maxUnreadBytes;
            enqueue(next.bytes);
            if (hadUnread && room() < 0) finish(new Error('The change feed client is too far behind.'));
          },
          // The server is stopping: a client with bytes still unread is cut too, or its socket would hold the stop.
          close: () =>
            finish(room() < feed.maxUnreadBytes ? new Error('The server is stopping.') : undefined),
        });
        timer.heartbeat = setInterval(() => {
          if (room() > 0) enqueue(encoder.encode(': heartbeat\n\n'));
        }, heartbeatMs);
        if (signal.aborted) end();
        else signal.addEventListener('abort', end);
      },
      pull() {
        cursor.catchUp();
      },
      cancel() {
        stop();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: feed.maxUnreadBytes }),
  );
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    },
  });
}
