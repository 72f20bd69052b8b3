import type { Query, QueryClient, QueryKey } from '@tanstack/react-query';
import type { Assistant, ListResponse, Run, Thread } from '../../../shared/openai-types';
import { assistantKeys } from '../assistant-queries';
import type { ChangeEvent, RunsQuery } from '../../../shared/runs-query-types';
import type { RunsWindow } from '../runs-window';
import { prependRun, removeRun, replaceRun } from '../runs-window';
import { isNewestFirst, matchesQuery, membershipCanChange, orderCanChange } from '../run-match';
import { documentHidden } from '../../lib/polling-policy';
import { threadKeys } from '../thread-keys';
import { ALL_THREADS, runKeys } from '../run-keys';

export interface WindowChange {
  window: RunsWindow;
  /** The browser cannot place the run by itself (a text search, a sort by a value that changed): read the list again. */
  refresh: boolean;
}

/**
 * One run's change applied to one list, in place where the browser can decide from the run alone: a run that still
 * matches is replaced where it is, one that no longer matches leaves, a new run goes on top of a newest-first list.
 */
export function applyRunToWindow(
  window: RunsWindow,
  run: Run,
  query: RunsQuery,
  kind: 'run.created' | 'run.updated',
  seq = 0,
  assistantName?: (assistantId: string) => string | null,
): WindowChange {
  // The list was read after this change: it is in it already (and a late copy must not put an older run back).
  if (seq > 0 && window.feedSeq !== null && seq <= window.feedSeq) return { window, refresh: false };
  const held = window.runs.some((candidate) => candidate.id === run.id);
  const match = matchesQuery(run, query, assistantName);
  if (held) {
    if (match === false) return { window: removeRun(window, run.id), refresh: false };
    return { window: replaceRun(window, run), refresh: match === null || orderCanChange(query) };
  }
  if (match === false) return { window, refresh: false };
  if (kind === 'run.created') {
    if (match === true && isNewestFirst(query)) return { window: prependRun(window, run), refresh: false };
    return { window, refresh: true };
  }
  // A run the list does not hold changed: it may have entered the answer, or moved into the loaded part of it.
  return { window, refresh: !window.hasMore || membershipCanChange(query) || orderCanChange(query) };
}

/**
 * Applies changes (from the change feed, or a mutation's answer) to the React Query cache: runs are replaced in
 * place in every list and panel that holds them, in or out of filtered lists; what cannot be updated in place (counts,
 * thread summaries, a list whose order may have changed) is refetched, once for a burst of changes.
 */
export function applyChanges(client: QueryClient, events: readonly ChangeEvent[]): void {
  const refresh = refresherOf(client);
  for (const event of events) {
    switch (event.type) {
      case 'run.created':
      case 'run.updated':
        applyRun(client, event.run, event.type, event.seq, refresh);
        break;
      case 'run.deleted':
        forEachWindow(client, (query, window, entry) => {
          if (window.runs.some((run) => run.id === event.run_id))
            setWindow(client, query, removeRun(window, event.run_id), refresh, entry);
        });
        client.removeQueries({ queryKey: runKeys.detail(event.thread_id, event.run_id), exact: true });
        refreshRunSummaries(event.thread_id, refresh);
        break;
      case 'thread.created':
      case 'thread.updated':
        storeThread(client, event.thread);
        refresh.mark(threadKeys.summaries());
        break;
      case 'thread.deleted':
        refresh.mark(runKeys.thread(event.thread_id));
        refresh.mark(runKeys.scope(ALL_THREADS));
        refresh.mark(threadKeys.all);
        break;
      case 'reset':
        if (event.thread_ids === null) {
          refresh.mark(runKeys.all);
          refresh.mark(threadKeys.all);
        } else {
          for (const threadId of event.thread_ids) refresh.mark(runKeys.thread(threadId));
          refresh.mark(runKeys.scope(ALL_THREADS));
          refresh.mark(threadKeys.summaries());
        }
        break;
    }
  }
  refresh.schedule();
}

function applyRun(
  client: QueryClient,
  run: Run,
  kind: 'run.created' | 'run.updated',
  seq: number,
  refresh: Refresher,
) {
  forEachFirstRead(client, (query, entry) => {
    if (!query.threadId || query.threadId === run.thread_id) refresh.mark(entry.queryKey, true);
  });
  const assistantName = assistantNameIn(client);
  forEachWindow(client, (query, window, entry) => {
    if (query.threadId && query.threadId !== run.thread_id) return;
    const change = applyRunToWindow(window, run, query, kind, seq, assistantName);
    if (change.window !== window) setWindow(client, query, change.window, refresh, entry);
    if (change.refresh) refresh.mark(entry.queryKey, true);
  });
  const detailKey = runKeys.detail(run.thread_id, run.id);
  const detail = client.getQueryCache().find<{ run: Run; pollAfterMs: number | null }>({
    queryKey: detailKey,
    exact: true,
  });
  if (detail?.state.data && detail.state.data.run !== run)
    client.setQueryData(detailKey, { ...detail.state.data, run });
  // An answer in flight may predate this change (a first read too, which had nothing to update): read it again once
  // it lands.
  if (detail?.state.fetchStatus === 'fetching') refresh.mark(detailKey, true);
  refreshRunSummaries(run.thread_id, refresh);
}

/** Assistant names as the dashboard has them (a text search matches them too, as the server's does). */
function assistantNameIn(client: QueryClient): (assistantId: string) => string | null {
  const assistants = client.getQueryData<ListResponse<Assistant>>(assistantKeys.list())?.data ?? [];
  return (assistantId) => assistants.find((assistant) => assistant.id === assistantId)?.name ?? null;
}

/** Counts, usage sums, time series and thread summaries are aggregates the browser cannot update from one run: read again. */
function refreshRunSummaries(threadId: string, refresh: Refresher) {
  for (const scope of [threadId, ALL_THREADS]) {
    refresh.mark(runKeys.allCounts(scope));
    refresh.mark(runKeys.allUsage(scope));
    refresh.mark(runKeys.allTimeseries(scope));
  }
  refresh.mark(threadKeys.summaries());
}

function storeThread(client: QueryClient, thread: Thread) {
  if (client.getQueryData(threadKeys.detail(thread.id)) !== undefined)
    client.setQueryData(threadKeys.detail(thread.id), thread);
}

type WindowQuery = Query<RunsWindow, Error, RunsWindow, QueryKey>;

function forEachWindow(
  client: QueryClient,
  visit: (query: RunsQuery, window: RunsWindow, entry: WindowQuery) => void,
) {
  for (const entry of client.getQueryCache().findAll({ queryKey: runKeys.all })) {
    const key = entry.queryKey;
    const window = entry.state.data as RunsWindow | undefined;
    if (key[2] !== 'list' || !window) continue;
    visit(key[3] as RunsQuery, window, entry as WindowQuery);
  }
}

/** The lists still on their first read: there is nothing to update yet, and the answer may predate the change. */
function forEachFirstRead(client: QueryClient, visit: (query: RunsQuery, entry: Query) => void) {
  for (const entry of client.getQueryCache().findAll({ queryKey: runKeys.all, fetchStatus: 'fetching' })) {
    if (entry.queryKey[2] === 'list' && entry.state.data === undefined)
      visit(entry.queryKey[3] as RunsQuery, entry);
  }
}

function setWindow(
  client: QueryClient,
  query: RunsQuery,
  window: RunsWindow,
  refresh: Refresher,
  entry?: WindowQuery,
) {
  const key = entry?.queryKey ?? runKeys.list(query);
  client.setQueryData(key, window);
  // An answer in flight may predate this change and would put the old run back: read the list again after it.
  if (entry?.state.fetchStatus === 'fetching') refresh.mark(key, true);
}

/** How soon after a change the reads it calls for start: a burst of changes costs one read per query. */
const REFRESH_DELAY_MS = 30;

interface Refresher {
  mark(key: QueryKey, exact?: boolean): void;
  schedule(): void;
}

const refreshers = new WeakMap<QueryClient, Refresher>();

/**
 * Collects the queries to read again and reads them shortly after, once each. A query already fetching is read
 * again only after that answer lands (its answer may predate the change), so a stream of changes never leaves it
 * with an old answer, nor cancels its reads one after another.
 */
function refresherOf(client: QueryClient): Refresher {
  const existing = refreshers.get(client);
  if (existing) return existing;
  const marks = new Map<string, { key: QueryKey; exact: boolean }>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    timer = null;
    const pending = [...marks.values()];
    marks.clear();
    for (const { key, exact } of pending) {
      for (const query of client.getQueryCache().findAll({ queryKey: key, exact })) {
        if (query.state.fetchStatus === 'fetching') {
          refresher.mark(query.queryKey, true);
          continue;
        }
        // A hidden tab reads nothing: the query is marked stale and read when the tab shows again (refetch on focus).
        void client.invalidateQueries({
          queryKey: query.queryKey,
          exact: true,
          refetchType: documentHidden() ? 'none' : 'active',
        });
      }
    }
    if (marks.size > 0) refresher.schedule();
  };
  const refresher: Refresher = {
    mark(key, exact = false) {
      marks.set(`${exact ? '=' : '^'}${JSON.stringify(key)}`, { key, exact });
    },
    schedule() {
      if (timer === null && marks.size > 0) timer = setTimeout(flush, REFRESH_DELAY_MS);
    },
  };
  refreshers.set(client, refresher);
  return refresher;
}
