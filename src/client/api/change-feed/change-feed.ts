import type { ChangeEvent } from '../../../shared/runs-query-types';
import { accessToken } from '../access-token';
import { TOKEN_HEADER } from '../api-fetch';
import { feedState, type FeedDownReason } from './feed-state';
import { createSseParser } from '../../../shared/sse-parser';
import { wakeableSleep } from '../../../shared/wakeable-sleep';

export const CHANGES_PATH = '/api/changes';
/** The server sends a heartbeat every 15 s: a stream silent for this long is dead (a proxy or sleep cut it). */
export const SILENCE_LIMIT_MS = 45_000;
/**
 * The server writes the stream's first bytes at once: a feed that sent nothing for this long after being asked is
 * held back (a buffering proxy in between) and treated as down, so the dashboard polls; it goes live if it opens.
 */
export const OPEN_LIMIT_MS = 5_000;
const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 15_000;
/** A server without the feed (404): polling carries on and the feed is tried again this rarely. */
const RETRY_ABSENT_MS = 60_000;

export interface ChangeFeedHandlers {
  /** The changes of one read from the stream, in order (a burst arrives as one batch). */
  onChanges(events: ChangeEvent[]): void;
  /**
   * The stream (re)connected without resuming (first connection, or no event id to resume from): changes made before
   * it opened may be missing from what was read earlier, or is still being read. `startSeq` is the seq the stream
   * starts after (its first `id:`): an answer whose `feed_seq` is below it may lack changes this stream will never
   * send. `openedAt` (ms) serves reads that carry no `feed_seq`: those older than it should be refreshed.
   */
  onFreshStart(openedAt: number, startSeq: number | null): void;
  /** The stream went down: data may go stale until it is back (queries poll meanwhile). */
  onDown(): void;
}

export interface ChangeFeedConnection {
  /** Closes the stream for good. */
  close(): void;
  /**
   * The server is known to answer again (a poll succeeded): reconnect now rather than at the end of the backoff.
   * Ignored while a connection is being made, and when the server has no feed (404).
   */
  retryNow(): void;
}

/**
 * One `GET /api/changes` stream, read with fetch (EventSource cannot send the access token header), reconnected with
 * `Last-Event-ID` after any drop so no change is lost (the server answers `reset` when it no longer holds them).
 * Its state goes to `feedState`.
 */
export function connectChangeFeed(handlers: ChangeFeedHandlers): ChangeFeedConnection {
  let stopped = false;
  let feedAbsent = false;
  let lastEventId: string | null = null;
  let controller: AbortController | null = null;
  let dropStream: (() => void) | null = null;
  const { sleep, wake } = wakeableSleep();

  const goDown = (reason: FeedDownReason = 'dropped') => {
    const wasDown = feedState.isDown();
    feedState.set('down', reason);
    if (!wasDown) handlers.onDown();
  };

  // A new token (typed at the prompt) is worth a try at once.
  const unsubscribeToken = accessToken.subscribe(() => wake());
  // The browser lost its network (sleep, a network switch): an open stream may be dead without a word, so it is
  // dropped and opened again (from the last event id: nothing is lost; on loopback it reopens at once). Back online:
  // try at once.
  const onOffline = () => dropStream?.();
  const onOnline = () => wake();
  globalThis.addEventListener?.('offline', onOffline);
  globalThis.addEventListener?.('online', onOnline);

  async function readOnce(): Promise<{ retryMs: number | null; absent?: boolean }> {
    controller = new AbortController();
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    const token = accessToken.get();
    if (token) headers[TOKEN_HEADER] = token;
    const resuming = lastEventId !== null;
    if (resuming) headers['last-event-id'] = lastEventId!;
    // Live only once the first bytes arrive: headers alone do not say that a buffering proxy lets the stream through.
    let opened = false;
    const notOpened = setTimeout(() => {
      if (!opened && !stopped) goDown('not_opened');
    }, OPEN_LIMIT_MS);
    let response: Response;
    try {
      response = await fetch(CHANGES_PATH, { headers, signal: controller.signal, cache: 'no-store' });
    } catch (error) {
      clearTimeout(notOpened);
      throw error;
    }
    if (!response.ok || !response.body) {
      clearTimeout(notOpened);
      if (response.status === 401) accessToken.requestPrompt();
      await response.body?.cancel().catch(() => undefined);
      return { retryMs: null, absent: response.status === 404 };
    }
    const openedAt = Date.now();
    let freshStartDue = !resuming;
    const parser = createSseParser();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    const giveUp = () => {
      controller?.abort();
      void reader.cancel().catch(() => undefined);
    };
    dropStream = giveUp;
    let silence = setTimeout(giveUp, SILENCE_LIMIT_MS);
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        if (!opened) {
          opened = true;
          clearTimeout(notOpened);
          feedState.set('live');
        }
        clearTimeout(silence);
        silence = setTimeout(giveUp, SILENCE_LIMIT_MS);
        const events: ChangeEvent[] = [];
        for (const block of parser.push(value)) {
          const event = block.data === undefined ? null : parseChange(block.data);
          if (event) events.push(event);
        }
        // Set by data frames and by the server's first, empty `id:` frame alike: a reconnect resumes from it.
        lastEventId = parser.lastEventId() ?? lastEventId;
        // The server's first frame is the seq it starts after; a fresh start is told once that is known (before
        // any change, which carries a later seq).
        if (freshStartDue && (lastEventId !== null || events.length > 0)) {
          freshStartDue = false;
          handlers.onFreshStart(openedAt, seqOf(lastEventId));
        }
        if (events.length > 0) handlers.onChanges(events);
      }
    } finally {
      clearTimeout(silence);
      clearTimeout(notOpened);
      dropStream = null;
    }
    return { retryMs: parser.retryMs() };
  }

  void (async () => {
    let failures = 0;
    while (!stopped) {
      let retryMs: number | null = null;
      let absent = false;
      try {
        ({ retryMs, absent = false } = await readOnce());
        failures = feedState.get() === 'live' ? 0 : failures + 1;
      } catch {
        failures += 1;
      }
      if (stopped) break;
      feedAbsent = absent;
      goDown();
      const backoff = absent
        ? RETRY_ABSENT_MS
        : (retryMs ?? Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.max(0, failures - 1)));
      await sleep(backoff);
    }
  })();

  return {
    close() {
      stopped = true;
      unsubscribeToken();
      globalThis.removeEventListener?.('offline', onOffline);
      globalThis.removeEventListener?.('online', onOnline);
      controller?.abort();
      wake();
    },
    retryNow() {
      if (!feedAbsent) wake();
    },
  };
}

function seqOf(eventId: string | null): number | null {
  const seq = Number(eventId);
  return eventId !== null && eventId !== '' && Number.isSafeInteger(seq) ? seq : null;
}

function parseChange(data: string): ChangeEvent | null {
  try {
    const value = JSON.parse(data) as ChangeEvent;
    return typeof value === 'object' && value !== null && typeof value.type === 'string' ? value : null;
  } catch {
    return null;
  }
}
