/**
 * Runboard's own run query API and change feed (under `/api`, never `/v1`), shared by the server, the dashboard and
 * the tests. `/v1` stays exactly OpenAI's; these answer the questions OpenAI's API cannot (across threads, counts,
 * any sort) for the whole data, not for what a browser happened to load.
 */
import type { Run, RunStatus, Thread } from './openai-types';
import { RUN_SORTS, type RunSortField } from './run-sort-keys';

/** Every field the runs sort by, in the table's order (each described once: `RUN_SORTS`, run-sort-keys.ts). */
export const RUN_SORT_FIELDS = Object.keys(RUN_SORTS) as RunSortField[];
export type { RunSortField };

/**
 * GET /api/runs: one page of runs matching a filter, in a sort, across all threads or within one.
 * Query string: `thread_id`, `status` (repeatable or comma-separated), `assistant_id`, `model`, `created_after` /
 * `created_before` (Unix seconds, inclusive), `metadata_key` + optional `metadata_value`, `q` (words, each to be
 * found: metadata, `last_error`, names, a thread's or assistant's id by any piece, a run's id by its start), `sort` (`created.desc`, `tokens.asc`, …),
 * `limit` (1–500, default 100), `after` (the opaque cursor of the previous page).
 */
export interface RunsQuery extends RunFilter {
  sort?: { field: RunSortField; desc: boolean };
  limit?: number;
  after?: string;
}

/** What `/api/runs`, its counts, usage and time series match (a `RunsQuery` without its order and page). */
export interface RunFilter {
  threadId?: string;
  statuses?: RunStatus[];
  assistantId?: string;
  model?: string;
  createdAfter?: number;
  createdBefore?: number;
  metadataKey?: string;
  metadataValue?: string;
  q?: string;
}

/**
 * What a run was asked and what it answered, in one line each, at most `RUN_PREVIEW_MAX_CHARS` characters (cut with
 * "…"). Computed by the query index when it indexes the run (src/server/run-index/run-preview.ts) and searched by `q`.
 */
export interface RunPreview {
  /** The last user message of the thread before the run; null when unknown (none, or proxy mode). */
  input: string | null;
  /**
   * The run's reply (its first message), or for a run waiting on tool outputs what it asks for ("Asks for
   * get_weather, lookup_order"); null when there is none yet, or it is unknown (proxy mode).
   */
  output: string | null;
}

export const RUN_PREVIEW_MAX_CHARS = 200;

/** A run as the query API and the change feed send it: its wire JSON with Runboard's `preview` added. */
export type IndexedRun = Run & { preview?: RunPreview };

export interface RunsPage {
  object: 'list';
  /** The runs' wire JSON, each with its `preview`. */
  data: IndexedRun[];
  /** Pass as `after` for the next page; null on the last page. Stays correct while runs arrive or change. */
  next_cursor: string | null;
  has_more: boolean;
  /** Runs matching the filter in all (not only this page). */
  total: number;
  /**
   * In proxy mode, what the answer covers: the threads indexed and whether any is still being loaded from the
   * upstream. A view shows the answer as complete only when `complete` is true. Always complete for the emulator.
   */
  coverage: QueryCoverage;
  /** The change feed's seq this answer reflects: feed events up to it are already in it (apply only later ones). */
  feed_seq?: number;
}

/** GET /api/runs/counts: runs per status for the same filter as /api/runs (its `status` ignored), and the total. */
export interface RunCounts {
  by_status: Record<RunStatus, number>;
  total: number;
  coverage: QueryCoverage;
  feed_seq?: number;
}

/** Token usage summed over runs: `runs_with_usage` of them reported usage (active runs have none yet). */
export interface TokenUsageSums {
  runs_with_usage: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/**
 * GET /api/runs/usage: token usage of every run matching the same filter as /api/runs (its `status` too), summed, then
 * per model (largest total first, then by name; a model none of whose runs reported usage yet is listed with zeros).
 */
export interface RunUsageSummary extends TokenUsageSums {
  /** Runs matching the filter in all, with usage or not. */
  runs: number;
  by_model: (TokenUsageSums & { model: string })[];
  coverage: QueryCoverage;
  feed_seq?: number;
}

/**
 * GET /api/runs/timeseries: the runs matching the same filter as /api/runs (its `status` too), counted per interval of
 * their `created_at`, per status, with their token usage. Query string: the filter's parameters, then `start` and
 * `end` (Unix seconds, inclusive; `start` defaults to the earliest matching run, `end` to now) and `interval`
 * (seconds, one of `TIMESERIES_INTERVALS`; chosen by the server to give at most `TIMESERIES_TARGET_BUCKETS` buckets
 * when left out). At most `TIMESERIES_MAX_BUCKETS` buckets: a longer range with a short interval is refused.
 */
export interface RunsTimeseriesQuery {
  start?: number;
  end?: number;
  interval?: number;
}

/** The intervals a time series is counted in (seconds): a minute, 5 and 15 minutes, an hour, 6 hours, a day, a week. */
export const TIMESERIES_INTERVALS = [60, 300, 900, 3_600, 21_600, 86_400, 604_800] as const;
/** The server picks the shortest interval that gives at most this many buckets. */
export const TIMESERIES_TARGET_BUCKETS = 60;
export const TIMESERIES_MAX_BUCKETS = 1_000;

export interface RunsTimeseriesBucket {
  /** Unix seconds: the bucket covers [start, start + interval). */
  start: number;
  /** Runs created in the bucket, per status (every status present, 0 when none). */
  by_status: Record<RunStatus, number>;
  total: number;
  /** Token usage of the bucket's runs that reported some. */
  usage: TokenUsageSums;
}

export interface RunsTimeseries {
  object: 'runs.timeseries';
  /** The first bucket's start (the range's start rounded down to the interval, in UTC). */
  start: number;
  /** The range's end (Unix seconds, inclusive). */
  end: number;
  interval: number;
  /** Oldest first, every interval of the range (empty ones too). */
  buckets: RunsTimeseriesBucket[];
  /** Runs in the range in all. */
  total: number;
  coverage: QueryCoverage;
  feed_seq?: number;
}

export interface QueryCoverage {
  complete: boolean;
  /** Threads whose runs are in the answer's scope. */
  threads: number;
  /** Threads whose runs are still being loaded (proxy mode); 0 when complete. */
  loading_threads: number;
  /** Proxy mode: when the index last heard from the upstream (Unix ms); null for the emulator. */
  refreshed_at: number | null;
  /**
   * Proxy mode, an answer within one thread: false when that thread is not watched (nothing of it is indexed, and
   * the answer is not complete). Watching is a POST (`/api/watched-threads`), never a side effect of a read.
   */
  watched?: boolean;
  /** Proxy mode: which threads the index holds at all (an upstream cannot list threads). Absent for the emulator. */
  scope?: ProxyScope;
}

/** Proxy mode: the threads the index holds are those seen through the proxy (and those watched by hand). */
export interface ProxyScope {
  /** Threads named by forwarded traffic are watched at once (`RUNBOARD_PROXY_DISCOVERY`). */
  discovery: boolean;
  /** When the proxy first saw a thread in its traffic (Unix ms); null before any. */
  seen_since: number | null;
  /** Threads watched now, and how many of them by hand (the rest were found in traffic). */
  watched_threads: number;
  hand_watched_threads: number;
  /** At most this many threads are watched (`RUNBOARD_PROXY_MAX_THREADS`)… */
  max_threads: number;
  /** …and this many idle ones left the index to stay within it, since `seen_since`. */
  evicted_threads: number;
}

/** GET /api/threads: threads with their last activity, newest activity first; `q` searches ids and metadata. */
export interface ThreadSummary {
  thread: Thread;
  /** Unix seconds of the thread's newest run's last change, or its creation when it has no run. */
  last_activity_at: number;
  run_count: number;
  active_run_count: number;
  /** Runs in `requires_action`. */
  waiting_run_count: number;
}

/** GET /api/threads?q=&limit=&after= (limit 1–500, default 100). */
export interface ThreadSummariesPage {
  object: 'list';
  data: ThreadSummary[];
  next_cursor: string | null;
  has_more: boolean;
  total: number;
  /** Proxy mode: only watched threads are known, and some may still be loading. */
  coverage?: QueryCoverage;
  feed_seq?: number;
}

/**
 * Proxy mode: the threads whose runs Runboard indexes from the upstream (an upstream cannot list threads).
 * `POST /api/watched-threads` `{ "thread_ids": [...] }` adds (idempotent), `DELETE /api/watched-threads/{thread_id}`
 * removes, `GET /api/watched-threads` lists. Persisted across restarts. Threads named by traffic through the proxy are
 * watched by themselves (unless discovery is off); a query naming an unwatched `thread_id` does not start watching it
 * (its coverage says `watched: false`). In emulator mode every thread is indexed anyway: coverage is always complete.
 */
export interface WatchThreadsRequest {
  thread_ids: string[];
}

export interface WatchedThread {
  thread_id: string;
  /** `loading`: its runs are still being listed from the upstream; `failed`: the upstream refused (see `error`). */
  state: 'loading' | 'ready' | 'failed';
  runs_indexed: number;
  /** When the index last heard about this thread from the upstream (Unix ms); null before the first answer. */
  refreshed_at: number | null;
  error: string | null;
  /** Proxy mode: `traffic` when found in forwarded traffic, `hand` when a person (or a POST) asked to watch it. */
  origin?: 'traffic' | 'hand';
  /** Proxy mode: when forwarded traffic last named it (Unix ms); null when it never did. */
  seen_at?: number | null;
}

export interface WatchedThreadsList {
  object: 'list';
  data: WatchedThread[];
}

/**
 * GET /api/changes: a server-sent-events stream of run changes. Each frame: `id: <seq>`, `event: <type>`,
 * `data: <ChangeEvent JSON>`. Seqs increase for the life of the server and start above any earlier process's, so an
 * id from before a restart is recognised as such (answered with `reset`). Resume after a reconnect with the `Last-Event-ID` header (or `?last_event_id=`): every
 * change after it is replayed in order; when the server no longer holds it (away too long, or the server restarted)
 * the first frame is `event: reset` and the client refetches. A `: heartbeat` comment comes every 15 s.
 */
export type ChangeEvent =
  | { type: 'run.created' | 'run.updated'; seq: number; run: IndexedRun }
  | { type: 'run.deleted'; seq: number; run_id: string; thread_id: string }
  | { type: 'thread.created' | 'thread.updated'; seq: number; thread: Thread }
  | { type: 'thread.deleted'; seq: number; thread_id: string }
  /** Many runs changed at once (a bulk seed, or the feed lost track): refetch what is shown for these threads. */
  | { type: 'reset'; seq: number; reason: string; thread_ids: string[] | null };
