import type { Assistant, ListResponse, Run, Thread } from '../../shared/openai-types';
import type { QueryCoverage, WatchedThread } from '../../shared/runs-query-types';
import type { ProxyConfig } from '../config';
import type { Logger } from '../../platform/logger';
import { maskSecret } from '../proxy/secret-mask';
import { upstreamUrl, withServerCredentials } from '../proxy/forwarded-headers';
import type { IndexSource } from './index-source';
import type { RunIndex } from './run-index';

export interface UpstreamPollingOptions {
  /** A watched thread with an active run is listed this often (ms). */
  activePollMs: number;
  /** A thread where nothing can change on its own is listed this rarely (ms): only new runs can appear. */
  idlePollMs: number;
  /** Every watched thread is listed whole this rarely (ms), to see edits and deletions of older runs. */
  fullSyncMs: number;
  /** At least this long between two upstream requests (one at a time): at most 1000/spacing a second. */
  requestSpacingMs: number;
}

export const DEFAULT_UPSTREAM_POLLING: UpstreamPollingOptions = {
  activePollMs: 1_000,
  idlePollMs: 30_000,
  fullSyncMs: 30 * 60_000,
  requestSpacingMs: 100,
};

const PAGE = 100;
const REFRESH_PAGE = 20;
const MAX_BACKOFF_MS = 60_000;
const ASSISTANT_NAMES_TTL_MS = 60_000;
/** Up to 1,000 assistants are named in searches. */
const ASSISTANT_NAME_PAGES = 10;

interface WatchedRow {
  thread_id: string;
  state: WatchedThread['state'];
  error: string | null;
  refreshed_at: number | null;
  full_sync_at: number | null;
}

class UpstreamError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterMs: number | null,
  ) {
    super(message);
  }
}

/**
 * Proxy mode: an upstream only lists one thread's runs, newest first. Runboard keeps the watched threads' runs in
 * its index (a file, kept across restarts), filled by this one poller for every browser: a thread is first listed
 * whole (its answers say `complete: false` meanwhile), then its newest runs are listed about every second while a
 * run in it is active and every `idlePollMs` otherwise, and the whole thread again every `fullSyncMs`. Requests go
 * one at a time, spaced, and back off on 429 and 5xx (honouring Retry-After). What the poller sees change is what
 * the change feed publishes.
 */
export function indexFromUpstream(
  index: RunIndex,
  config: ProxyConfig,
  logger: Logger,
  polling: UpstreamPollingOptions = DEFAULT_UPSTREAM_POLLING,
  wallClock: () => number = Date.now,
): IndexSource {
  const db = index.db;
  const statements = {
    all: db.prepare(
      'SELECT thread_id, state, error, refreshed_at, full_sync_at FROM watched_threads ORDER BY added_at',
    ),
    get: db.prepare(
      'SELECT thread_id, state, error, refreshed_at, full_sync_at FROM watched_threads WHERE thread_id = ?',
    ),
    add: db.prepare(
      "INSERT OR IGNORE INTO watched_threads (thread_id, added_at, state) VALUES (?, ?, 'loading')",
    ),
    remove: db.prepare('DELETE FROM watched_threads WHERE thread_id = ?'),
    setState: db.prepare(
      'UPDATE watched_threads SET state = @state, error = @error, refreshed_at = @refreshed_at, full_sync_at = @full_sync_at WHERE thread_id = @thread_id',
    ),
    runCount: db.prepare('SELECT run_count FROM threads WHERE id = ?').pluck(),
    activeRunIds: db.prepare('SELECT id FROM runs WHERE thread_id = ? AND k_duration IS NULL').pluck(),
    knownRun: db.prepare('SELECT 1 FROM runs WHERE id = ?').pluck(),
  };
  /** When each thread is next due (ms); absent: due now. */
  const due = new Map<string, number>();
  let closed = false;
  let wake: (() => void) | null = null;
  let pausedUntil = 0;
  let backoffMs = 0;
  const abort = new AbortController();

  const rowOf = (threadId: string) => statements.get.get(threadId) as WatchedRow | undefined;
  const save = (row: WatchedRow) => statements.setState.run(row);

  async function call<T>(path: string): Promise<T> {
    const wait = pausedUntil - wallClock();
    if (wait > 0) await sleep(wait);
    const headers = withServerCredentials(new Headers({ accept: 'application/json' }), config);
    const signal = AbortSignal.any([abort.signal, AbortSignal.timeout(config.timeoutMs)]);
    const response = await fetch(upstreamUrl(config, path), { headers, signal, redirect: 'manual' });
    const text = await response.text();
    if (!response.ok) {
      const retryAfter = Number(response.headers.get('retry-after'));
      let message = `the upstream answered ${response.status}`;
      try {
        const body = JSON.parse(text) as { error?: { message?: string } };
        if (body.error?.message) message += `: ${body.error.message}`;
      } catch {
        // Not JSON: the status says enough.
      }
      throw new UpstreamError(
        response.status,
        maskSecret(message, config.apiKey).slice(0, 500),
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null,
      );
    }
    return JSON.parse(text) as T;
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });
  }

  /** Lists every run of the thread (newest first, page by page) and makes the index hold exactly those. */
  async function fullSync(row: WatchedRow): Promise<void> {
    const threadId = row.thread_id;
    const thread = await call<Thread>(`threads/${threadId}`);
    const runs: Run[] = [];
    let after: string | null = null;
    for (;;) {
      const query: string = `limit=${PAGE}&order=desc${after ? `&after=${after}` : ''}`;
      const page = await call<ListResponse<Run>>(`threads/${threadId}/runs?${query}`);
      runs.push(...page.data);
      if (!page.has_more || !page.last_id || closed) break;
      after = page.last_id;
      await sleep(polling.requestSpacingMs);
    }
    if (closed || !rowOf(threadId)) return;
    const first = row.state !== 'ready';
    index.transaction(() => {
      index.upsertThread(thread, first);
      // Oldest first, so runs created in the same second keep their order.
      index.replaceThreadRuns(threadId, runs.reverse(), first ? 'reset' : 'changes');
    });
    if (first) index.analyze();
    const now = wallClock();
    save({ thread_id: threadId, state: 'ready', error: null, refreshed_at: now, full_sync_at: now });
  }

  /** Lists the newest runs (more pages only while they are all new) and re-reads active runs not among them. */
  async function refresh(row: WatchedRow): Promise<void> {
    const threadId = row.thread_id;
    const seen = new Set<string>();
    let after: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const query: string = `limit=${REFRESH_PAGE}&order=desc${after ? `&after=${after}` : ''}`;
      const page = await call<ListResponse<Run>>(`threads/${threadId}/runs?${query}`);
      const allNew = page.data.every((run) => !statements.knownRun.get(run.id));
      index.transaction(() => {
        for (const run of [...page.data].reverse()) {
          seen.add(run.id);
          index.upsertRun(run);
        }
      });
      if (!allNew || !page.has_more || !page.last_id) break;
      after = page.last_id;
      await sleep(polling.requestSpacingMs);
    }
    for (const runId of statements.activeRunIds.all(threadId) as string[]) {
      if (seen.has(runId)) continue;
      await sleep(polling.requestSpacingMs);
      try {
        index.upsertRun(await call<Run>(`threads/${threadId}/runs/${runId}`));
      } catch (error) {
        if (error instanceof UpstreamError && error.status === 404) index.deleteRun(runId);
        else throw error;
      }
    }
    save({ ...row, error: null, refreshed_at: wallClock() });
  }

  function nextDueFor(threadId: string): number {
    const active = (statements.activeRunIds.all(threadId) as string[]).length > 0;
    return wallClock() + (active ? polling.activePollMs : polling.idlePollMs);
  }

  async function work(row: WatchedRow): Promise<void> {
    const now = wallClock();
    const needsFullSync =
      row.state !== 'ready' || row.full_sync_at === null || now - row.full_sync_at >= polling.fullSyncMs;
    try {
      if (needsFullSync) await fullSync(row);
      else await refresh(row);
      backoffMs = 0;
      due.set(row.thread_id, nextDueFor(row.thread_id));
    } catch (error) {
      if (closed) return;
      const message = error instanceof Error ? error.message : String(error);
      const current = rowOf(row.thread_id);
      if (!current) return;
      if (error instanceof UpstreamError && (error.status === 404 || error.status === 400)) {
        // The upstream does not know this thread: nothing to index until it is watched again.
        save({ ...current, state: 'failed', error: message });
        due.set(row.thread_id, wallClock() + polling.fullSyncMs);
        return;
      }
      // Rate limited, upstream down, timeout: wait (as asked, or longer each time), then try again.
      backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(backoffMs * 2, polling.requestSpacingMs * 10));
      const retryAfter = error instanceof UpstreamError ? error.retryAfterMs : null;
      pausedUntil = wallClock() + (retryAfter ?? backoffMs);
      save({ ...current, error: message });
      logger.warn('proxy index: upstream request failed', { thread: row.thread_id, reason: message });
      due.set(row.thread_id, pausedUntil);
    }
  }

  async function loop(): Promise<void> {
    while (!closed) {
      const rows = statements.all.all() as WatchedRow[];
      const now = wallClock();
      // Threads still loading go first, then whichever is most overdue.
      const next = rows
        .filter((row) => (due.get(row.thread_id) ?? 0) <= now)
        .sort(
          (a, b) =>
            Number(a.state === 'ready') - Number(b.state === 'ready') ||
            (due.get(a.thread_id) ?? 0) - (due.get(b.thread_id) ?? 0),
        )[0];
      if (!next) {
        const soonest = Math.min(...rows.map((row) => due.get(row.thread_id) ?? now), now + 60_000);
        await sleep(Math.max(polling.requestSpacingMs, soonest - now));
        continue;
      }
      await work(next);
      await sleep(polling.requestSpacingMs);
    }
  }

  const running = loop().catch((error: unknown) =>
    logger.error('proxy index: the poller stopped', {
      reason: error instanceof Error ? error.message : String(error),
    }),
  );

  // The upstream's assistant names, for text searches: read when a search first asks, then at most once a minute, in
  // the background (a search never waits for the upstream; until the first read, names match nothing).
  let assistantNames: ReadonlyMap<string, string> = new Map();
  let namesReadAt = -Infinity;
  let namesReading = false;
  async function readAssistantNames(): Promise<void> {
    namesReading = true;
    try {
      const found = new Map<string, string>();
      let after: string | null = null;
      for (let page = 0; page < ASSISTANT_NAME_PAGES; page++) {
        const list: ListResponse<Assistant> = await call<ListResponse<Assistant>>(
          `assistants?limit=${PAGE}&order=desc${after ? `&after=${encodeURIComponent(after)}` : ''}`,
        );
        for (const assistant of list.data) if (assistant.name) found.set(assistant.id, assistant.name);
        if (!list.has_more || !list.last_id) break;
        after = list.last_id;
      }
      assistantNames = found;
    } catch (error) {
      if (!closed) logger.warn('assistant names not read from the upstream', { error: String(error) });
    } finally {
      namesReading = false;
      namesReadAt = wallClock();
    }
  }

  const watchedList = (): WatchedThread[] =>
    (statements.all.all() as WatchedRow[]).map((row) => ({
      thread_id: row.thread_id,
      state: row.state,
      runs_indexed: (statements.runCount.get(row.thread_id) as number | undefined) ?? 0,
      refreshed_at: row.refreshed_at,
      error: row.error,
    }));

  return {
    coverage(threadId): QueryCoverage {
      const rows =
        threadId === null
          ? (statements.all.all() as WatchedRow[])
          : [rowOf(threadId)].filter((row) => row !== undefined);
      const loading = rows.filter((row) => row.state === 'loading').length;
      const failed = rows.filter((row) => row.state === 'failed').length;
      const heard = rows.map((row) => row.refreshed_at).filter((at): at is number => at !== null);
      return {
        complete: loading === 0 && failed === 0,
        threads: rows.length,
        loading_threads: loading,
        refreshed_at: heard.length > 0 ? Math.max(...heard) : null,
      };
    },
    nowMs: wallClock,
    assistantNames() {
      if (!closed && !namesReading && wallClock() - namesReadAt > ASSISTANT_NAMES_TTL_MS)
        void readAssistantNames();
      return assistantNames;
    },
    watch(threadIds) {
      let added = false;
      for (const threadId of threadIds)
        added = statements.add.run(threadId, wallClock()).changes > 0 || added;
      if (added) wake?.();
    },
    unwatch(threadId) {
      if (statements.remove.run(threadId).changes === 0) return false;
      due.delete(threadId);
      index.deleteThread(threadId);
      return true;
    },
    watched: watchedList,
    close() {
      closed = true;
      abort.abort();
      wake?.();
      void running;
    },
  };
}
