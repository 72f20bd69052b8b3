import type { Run } from '../../shared/openai-types';
import type { IndexedRun, QueryCoverage, RunsPage } from '../../shared/runs-query-types';

/**
 * What a runs list shows for one query (a thread or all threads, a filter, a sort): the first runs of the server's
 * answer, in the server's order, from the top down to however far the person has scrolled. One cache entry, so a
 * refresh of the top, paging down and live changes from the feed all edit the same objects.
 */
export interface RunsWindow {
  runs: Run[];
  /** The cursor to load the runs after the last one; null when they are all here. */
  nextCursor: string | null;
  hasMore: boolean;
  /** Runs matching the query in all, as the server counted them (not only the loaded ones). */
  total: number;
  coverage: QueryCoverage;
  /** The change feed's seq the last read reflected: changes up to it are already in these runs. */
  feedSeq: number | null;
}

export const RUNS_PAGE_SIZE = 100;
/**
 * A refresh reads the top of the list again, as many rows as are loaded, up to this many (one request). Rows beyond
 * are kept and updated in place by the change feed; under a sort by a value that changes they may be out of order
 * until read again.
 */
export const MAX_REFRESH_ROWS = 200;

/** How many rows a refresh of `window` asks for. */
export function refreshSize(window: RunsWindow | undefined): number {
  return Math.min(MAX_REFRESH_ROWS, Math.max(RUNS_PAGE_SIZE, window?.runs.length ?? 0));
}

/**
 * Folds a fresh read of the top of the list (`head`, `requested` rows asked for) into the window: when it covers
 * every loaded row it replaces the window; otherwise the rows below it are kept (without the ones it now holds).
 */
export function mergeHead(previous: RunsWindow | undefined, head: RunsPage, requested: number): RunsWindow {
  const fresh: RunsWindow = {
    runs: head.data,
    nextCursor: head.next_cursor,
    hasMore: head.has_more,
    total: head.total,
    coverage: head.coverage,
    feedSeq: head.feed_seq ?? null,
  };
  if (!previous || previous.runs.length <= requested || !head.has_more) return fresh;
  const inHead = new Set(head.data.map((run) => run.id));
  const below = previous.runs.slice(requested).filter((run) => !inHead.has(run.id));
  return {
    ...fresh,
    runs: [...head.data, ...below],
    nextCursor: previous.nextCursor,
    hasMore: previous.hasMore,
  };
}

/** Appends the page read after the window's last run. */
export function appendPage(previous: RunsWindow, page: RunsPage): RunsWindow {
  const known = new Set(previous.runs.map((run) => run.id));
  const fresh = page.data.filter((run) => !known.has(run.id));
  return {
    runs: [...previous.runs, ...fresh],
    nextCursor: page.next_cursor,
    hasMore: page.has_more,
    total: page.total,
    coverage: page.coverage,
    feedSeq: previous.feedSeq,
  };
}

/** The window with `run` in place of the run with its id; the same window when it does not hold it. */
export function replaceRun(window: RunsWindow, run: Run): RunsWindow {
  const index = window.runs.findIndex((candidate) => candidate.id === run.id);
  if (index < 0 || window.runs[index] === run) return window;
  // A run from /v1 (a mutation's answer) has no preview: the one the list holds stays until the feed brings the new.
  const previous = (window.runs[index] as IndexedRun).preview;
  const runs = window.runs.slice();
  runs[index] = previous && !('preview' in run) ? ({ ...run, preview: previous } as IndexedRun) : run;
  return { ...window, runs };
}

/** Without the run (it left the query's answer). */
export function removeRun(window: RunsWindow, runId: string): RunsWindow {
  const runs = window.runs.filter((run) => run.id !== runId);
  if (runs.length === window.runs.length) return window;
  return { ...window, runs, total: Math.max(runs.length, window.total - 1) };
}

/** With a new run on top (a newest-first list). */
export function prependRun(window: RunsWindow, run: Run): RunsWindow {
  if (window.runs.some((candidate) => candidate.id === run.id)) return replaceRun(window, run);
  return { ...window, runs: [run, ...window.runs], total: window.total + 1 };
}
