import type { ListResponse, Run } from '../../shared/openai-types';
import { isActiveStatus } from '../../shared/openai-types';

/**
 * What the runs table shows for one thread: a contiguous slice of its runs, newest first, from the top of the list
 * down to however far the person has scrolled. Kept as one cache entry so polling the head, paging down and
 * refreshing single runs all edit the same objects.
 */
export interface RunsWindow {
  runs: Run[];
  /** More, older runs exist beyond the last one. */
  hasMore: boolean;
  /** The server's `openai-poll-after-ms` on the last head refresh. */
  pollAfterMs: number | null;
}

export const RUNS_PAGE_SIZE = 100;

/**
 * Folds a fresh first page (newest first) into the window: the page replaces what it covers (new runs appear at the
 * top, changed runs update in place) and the older runs loaded before are kept below it.
 */
export function mergeHead(
  previous: RunsWindow | undefined,
  head: ListResponse<Run>,
  pollAfterMs: number | null,
): RunsWindow {
  if (!previous) return { runs: head.data, hasMore: head.has_more, pollAfterMs };
  const inHead = new Set(head.data.map((run) => run.id));
  const older = previous.runs.filter((run) => !inHead.has(run.id));
  // React Query's structural sharing keeps the objects of unchanged runs, so their rows do not re-render.
  return {
    runs: [...head.data, ...older],
    hasMore: older.length > 0 ? previous.hasMore : head.has_more,
    pollAfterMs,
  };
}

/** Appends the page that follows the window's last run. */
export function appendPage(previous: RunsWindow, page: ListResponse<Run>): RunsWindow {
  const known = new Set(previous.runs.map((run) => run.id));
  const fresh = page.data.filter((run) => !known.has(run.id));
  return { ...previous, runs: [...previous.runs, ...fresh], hasMore: page.has_more };
}

/** Replaces runs by id where the window holds them; the order does not change. */
export function replaceRuns(previous: RunsWindow, updated: readonly Run[]): RunsWindow {
  if (updated.length === 0) return previous;
  const byId = new Map(updated.map((run) => [run.id, run]));
  let changed = false;
  const runs = previous.runs.map((run) => {
    const next = byId.get(run.id);
    if (!next) return run;
    changed = true;
    return next;
  });
  return changed ? { ...previous, runs } : previous;
}

/** Active runs that the head page does not cover: they still change, so they are refreshed one by one. */
export function activeBeyondHead(window: RunsWindow, headSize: number): Run[] {
  return window.runs.slice(headSize).filter((run) => isActiveStatus(run.status));
}

/** The id to pass as `after` to load the next, older page. */
export function nextCursor(window: RunsWindow): string | null {
  return window.hasMore ? (window.runs.at(-1)?.id ?? null) : null;
}
