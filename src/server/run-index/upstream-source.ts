import {
  isActiveStatus,
  type Assistant,
  type ListResponse,
  type Run,
  type Thread,
} from '../../shared/openai-types';
import type { QueryCoverage, WatchedThread } from '../../shared/runs-query-types';
import { wakeableSleep } from '../../shared/wakeable-sleep';
import type { SeenTraffic, TrafficWatcher } from '../proxy/forwarded-traffic';
import { TrafficMemory } from './traffic-memory';
import type { ProxyConfig } from '../config';
import type { Logger } from '../../platform/logger';
import { MASKED_SECRET, maskSecret } from '../../platform/secret-mask';
import { upstreamUrl, withServerCredentials } from '../proxy/forwarded-headers';
import type { IndexSource } from './index-source';
import type { RunIndex } from './run-index';
import { WatchedThreads, type WatchedRow } from './watched-threads';

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

/** The upstream source: an index source that also learns from the traffic the proxy forwards. */
export type UpstreamIndexSource = IndexSource & TrafficWatcher;

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
): UpstreamIndexSource {
  const db = index.db;
  const watchedThreads = new WatchedThreads(db);
  const fromTraffic = new TrafficMemory();
  /** When each thread is next due (ms); absent: due now. */
  const due = new Map<string, number>();
  let closed = false;
  const { sleep, wake } = wakeableSleep();
  let pausedUntil = 0;
  let backoffMs = 0;
  const abort = new AbortController();

  const rowOf = (threadId: string) => watchedThreads.get(threadId);
  const save = (row: Omit<WatchedRow, 'origin' | 'seen_at'>) => watchedThreads.save(row);

  /** The run as traffic showed it after `sinceMs` (newer than what a listing begun then says); null otherwise. */
  function shownByTrafficSince(runId: string, sinceMs: number): Run | null {
    return fromTraffic.shownSince(runId, sinceMs) ? index.storedRun(runId) : null;
  }

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
        maskSecret(message, config.apiKey, MASKED_SECRET).slice(0, 500),
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null,
      );
    }
    return JSON.parse(text) as T;
  }

  /** Lists every run of the thread (newest first, page by page) and makes the index hold exactly those. */
  async function fullSync(row: WatchedRow): Promise<void> {
    const threadId = row.thread_id;
    const listedFrom = wallClock();
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
      // What traffic showed while the listing was under way is newer than the listing: it is kept.
      const listed = new Set(runs.map((run) => run.id));
      const merged = runs.map((run) => shownByTrafficSince(run.id, listedFrom) ?? run).reverse();
      for (const runId of index.runIdsOfThread(threadId)) {
        const shown = listed.has(runId) ? null : shownByTrafficSince(runId, listedFrom);
        if (shown) merged.push(shown);
      }
      index.upsertThread(thread, first);
      // Oldest first, so runs created in the same second keep their order.
      const changed = index.replaceThreadRuns(threadId, merged, first ? 'reset' : 'changes');
      // A first load that changed nothing still ends the thread's loading: views showing it read it again.
      if (first && changed === 0) index.reset('thread_reloaded', [threadId]);
    });
    if (first) index.analyze();
    const now = wallClock();
    save({ thread_id: threadId, state: 'ready', error: null, refreshed_at: now, full_sync_at: now });
  }

  /** Lists the newest runs (more pages only while they are all new) and re-reads active runs not among them. */
  async function refresh(row: WatchedRow): Promise<void> {
    const threadId = row.thread_id;
    const listedFrom = wallClock();
    const seen = new Set<string>();
    let after: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const query: string = `limit=${REFRESH_PAGE}&order=desc${after ? `&after=${after}` : ''}`;
      const page = await call<ListResponse<Run>>(`threads/${threadId}/runs?${query}`);
      const allNew = page.data.every((run) => !index.hasRun(run.id));
      index.transaction(() => {
        for (const run of [...page.data].reverse()) {
          seen.add(run.id);
          if (!shownByTrafficSince(run.id, listedFrom)) index.upsertRun(run);
        }
      });
      if (!allNew || !page.has_more || !page.last_id) break;
      after = page.last_id;
      await sleep(polling.requestSpacingMs);
    }
    for (const runId of index.activeRunIds(threadId)) {
      if (seen.has(runId)) continue;
      await sleep(polling.requestSpacingMs);
      try {
        const readFrom = wallClock();
        const run = await call<Run>(`threads/${threadId}/runs/${runId}`);
        if (!shownByTrafficSince(runId, readFrom)) index.upsertRun(run);
      } catch (error) {
        if (error instanceof UpstreamError && error.status === 404) index.deleteRun(runId);
        else throw error;
      }
    }
    save({ ...row, error: null, refreshed_at: wallClock() });
  }

  function nextDueFor(threadId: string): number {
    const active = index.activeRunIds(threadId).length > 0;
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
      const rows = watchedThreads.all();
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
    watchedThreads.all().map((row) => ({
      thread_id: row.thread_id,
      state: row.state,
      runs_indexed: index.runCount(row.thread_id),
      refreshed_at: row.refreshed_at,
      error: row.error,
      origin: row.origin,
      seen_at: row.seen_at,
    }));

  function unwatch(threadId: string): boolean {
    if (!watchedThreads.remove(threadId)) return false;
    due.delete(threadId);
    index.deleteThread(threadId);
    return true;
  }

  /** Past the limit, the threads idle the longest leave (never those just named, nor one with an active run). */
  function stayWithinLimit(keep: readonly string[]): void {
    const leaving = watchedThreads.overLimit(config.maxWatchedThreads, keep);
    for (const threadId of leaving) unwatch(threadId);
    if (leaving.length > 0) {
      watchedThreads.countEvicted(leaving.length);
      logger.info('proxy index: idle threads left the index to stay within RUNBOARD_PROXY_MAX_THREADS', {
        threads: leaving.length,
        max: config.maxWatchedThreads,
      });
    }
  }

  /**
   * What forwarded traffic showed: its threads are watched (when discovery is on) and its objects indexed at once,
   * from the answers themselves; no upstream request is made for it. A thread whose creation it showed is ready
   * without being listed; another one is listed by the poller, in its turn.
   */
  function saw(traffic: SeenTraffic): void {
    if (closed) return;
    const now = wallClock();
    const created = new Set(traffic.createdThreadIds);
    const named = [...new Set(traffic.threadIds)].filter((id) => !traffic.deletedThreadIds.includes(id));
    let added = false;
    let sooner = false;
    if (config.discovery && !traffic.fromDashboard) {
      for (const threadId of named)
        added = watchedThreads.add(threadId, 'traffic', now, created.has(threadId)) || added;
    }
    index.transaction(() => {
      for (const thread of traffic.threads) if (rowOf(thread.id)) index.upsertThread(thread);
      for (const run of traffic.runs) {
        if (!rowOf(run.thread_id)) continue;
        index.upsertRun(run);
        fromTraffic.remember(run.id, now);
        // A thread with a run under way is followed at the active pace from now on (the sleeping poller woken).
        const activeDue = now + polling.activePollMs;
        if (isActiveStatus(run.status) && (due.get(run.thread_id) ?? Infinity) > activeDue) {
          due.set(run.thread_id, activeDue);
          sooner = true;
        }
      }
    });
    for (const threadId of traffic.deletedThreadIds) unwatch(threadId);
    if (traffic.assistants.length > 0) {
      const names = new Map(assistantNames);
      for (const assistant of traffic.assistants) {
        if (assistant.name) names.set(assistant.id, assistant.name);
        else names.delete(assistant.id);
      }
      assistantNames = names;
    }
    if (added) {
      for (const threadId of created) if (rowOf(threadId)) due.set(threadId, nextDueFor(threadId));
      stayWithinLimit(named);
    }
    if (added || sooner) wake();
  }

  return {
    coverage(threadId): QueryCoverage {
      const rows =
        threadId === null ? watchedThreads.all() : [rowOf(threadId)].filter((row) => row !== undefined);
      const loading = rows.filter((row) => row.state === 'loading').length;
      const failed = rows.filter((row) => row.state === 'failed').length;
      const heard = rows.map((row) => row.refreshed_at).filter((at): at is number => at !== null);
      // A thread that is not watched is not covered at all.
      const watched = threadId === null ? undefined : rows.length > 0;
      return {
        complete: loading === 0 && failed === 0 && watched !== false,
        threads: rows.length,
        loading_threads: loading,
        refreshed_at: heard.length > 0 ? Math.max(...heard) : null,
        ...(watched === undefined ? {} : { watched }),
        scope: watchedThreads.scope(config.discovery, config.maxWatchedThreads),
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
      for (const threadId of threadIds) added = watchedThreads.add(threadId, 'hand', wallClock()) || added;
      if (added) {
        stayWithinLimit(threadIds);
        wake();
      }
    },
    unwatch,
    watched: watchedList,
    saw,
    close() {
      closed = true;
      abort.abort();
      wake();
      void running;
    },
  };
}
