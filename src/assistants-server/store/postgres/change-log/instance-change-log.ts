import type { ChangeEvent } from '../../../../shared/runs-query-types';
import type { LifecycleEvents } from '../../../events/lifecycle-events';
import type { SqlClient } from '../sql-client';
import type { PageBounds } from './change-horizon';
import { ChangeLogReader, type ChangeLogReaderOptions } from './change-log-reader';
import { isLifecycleEntry, type LifecycleEntry, type LogEntry } from './log-entry';
import {
  DEFAULT_CHANGE_LOG_AGE_MS,
  DEFAULT_CHANGE_LOG_ROWS,
  oldestKeptId,
  pruneChangeLog,
  type ChangeLogRetention,
} from './prune-change-log';

export type FeedResume = 'ok' | 'unknown_event_id' | 'too_far_behind';

export interface InstanceChangeLogOptions extends Pick<
  ChangeLogReaderOptions,
  'onError' | 'pollMs' | 'settleMs' | 'maxItems' | 'maxBytes'
> {
  /**
   * Where the lifecycle rows go, every instance's (this one's included), in the log's order: the server gives the
   * PostgreSQL store's `deliverLogged` (which publishes the other instances' events into `store.events`).
   */
  lifecycle?: (entry: LifecycleEntry) => void;
  /** Or every lifecycle row's event, this instance's included, published here (a stand-in instance in tests). */
  events?: LifecycleEvents;
  retention?: ChangeLogRetention;
  /** Prune the log this often (ms, default 60,000; 0: never, a test prunes by hand). */
  pruneEveryMs?: number;
  /** Other upkeep of the database, run on the same timer after each prune (the run texts' sweep). */
  upkeep?: () => Promise<unknown>;
}

/**
 * The change log as one instance sees it: one `ChangeLogReader` whose rows go, in the log's order, either to the
 * store's lifecycle events (`store.events`: `/v1` streams, the executors; the store skips its own, published at
 * commit) or to the dashboard's change feed (`/api/changes`, every instance's changes, its own included, so there is
 * one order everywhere). It also keeps the log bounded (`pruneChangeLog`), runs the database's other upkeep on the same timer, and answers a browser's resume (`Last-Event-ID`) from
 * the log, on any instance.
 */
export class InstanceChangeLog {
  readonly retention: ChangeLogRetention;
  private readonly reader: ChangeLogReader;
  private readonly feedListeners = new Set<(change: ChangeEvent) => void>();
  private readonly troubleListeners = new Set<(error: unknown) => void>();
  /** The last failure of a read or of LISTEN, until a read succeeds again. */
  private trouble: { error: unknown } | null = null;
  private pruneTimer: ReturnType<typeof setInterval> | undefined;
  private pruning: Promise<unknown> | null = null;

  constructor(
    private readonly db: SqlClient,
    private readonly options: InstanceChangeLogOptions,
  ) {
    this.retention = options.retention ?? {
      maxRows: DEFAULT_CHANGE_LOG_ROWS,
      maxAgeMs: DEFAULT_CHANGE_LOG_AGE_MS,
    };
    this.reader = new ChangeLogReader(db, {
      onChange: (entry) => this.dispatch(entry),
      onError: (error) => {
        const first = this.trouble === null;
        this.trouble = { error };
        if (first) for (const listener of this.troubleListeners) listener(error);
        options.onError?.(error);
      },
      onRead: () => (this.trouble = null),
      pollMs: options.pollMs,
      settleMs: options.settleMs,
      maxItems: options.maxItems,
      maxBytes: options.maxBytes,
    });
  }

  /** Starts reading from what is committed now (nothing before it is delivered), and pruning. */
  async start(): Promise<void> {
    await this.reader.start();
    const every = this.options.pruneEveryMs ?? 60_000;
    if (every > 0) {
      this.pruneTimer = setInterval(() => {
        this.pruning ??= this.prune()
          .then(() => this.options.upkeep?.())
          .catch((error: unknown) => this.options.onError?.(error))
          .finally(() => (this.pruning = null));
      }, every);
      this.pruneTimer.unref?.();
    }
  }

  /** Every row with an id ≤ this has been delivered (or will never exist). */
  lastId(): number {
    return this.reader.lastId();
  }

  /**
   * Why the log cannot be read now (the database does not answer, or LISTEN was lost and not yet back), or null: what
   * is delivered may be late until a read succeeds again.
   */
  unavailable(): unknown {
    return this.trouble?.error ?? null;
  }

  /** Called when reading starts failing (once, until a read succeeds again). */
  onUnavailable(listener: (error: unknown) => void): () => void {
    this.troubleListeners.add(listener);
    return () => this.troubleListeners.delete(listener);
  }

  /** The feed's changes as they are read, in id order (lifecycle rows go to `events`). */
  subscribeFeed(listener: (change: ChangeEvent) => void): () => void {
    this.feedListeners.add(listener);
    return () => this.feedListeners.delete(listener);
  }

  /**
   * Whether a browser can resume after `id` (its `Last-Event-ID`, from any instance): `unknown_event_id` when the
   * database never gave it out, `too_far_behind` when rows after it have been pruned.
   */
  async checkResume(id: number): Promise<FeedResume> {
    const known = await this.reader.check(id);
    if (known !== 'ok') return known;
    const oldest = await oldestKeptId(this.db);
    return oldest === null || id >= oldest - 1 ? 'ok' : 'too_far_behind';
  }

  /**
   * The feed's changes after `id`, a bounded page of the log (lifecycle rows skipped), and `upTo`: the id the next
   * page starts after (the last row read, or `lastId()` once the page reached it).
   */
  async readFeedAfter(
    id: number,
    bounds: Partial<PageBounds> = {},
  ): Promise<{ changes: ChangeEvent[]; upTo: number }> {
    const end = this.reader.lastId();
    const page = await this.reader.readAfter(id, bounds);
    const upTo = page.complete ? Math.max(id, end) : (page.changes.at(-1)?.seq ?? end);
    return { changes: page.changes.filter((entry) => !isLifecycleEntry(entry)), upTo };
  }

  /** Deletes what the retention no longer keeps; returns how many rows went. */
  prune(): Promise<number> {
    return pruneChangeLog(this.db, this.retention);
  }

  async close(): Promise<void> {
    clearInterval(this.pruneTimer);
    await this.pruning;
    await this.reader.close();
    this.feedListeners.clear();
    this.troubleListeners.clear();
  }

  private dispatch(entry: LogEntry): void {
    if (isLifecycleEntry(entry)) {
      try {
        this.options.lifecycle?.(entry);
      } catch (error) {
        this.options.onError?.(error);
      }
      this.options.events?.deliverCommitted(entry.event);
      return;
    }
    for (const listener of this.feedListeners) {
      try {
        listener(entry);
      } catch (error) {
        this.options.onError?.(error);
      }
    }
  }
}
