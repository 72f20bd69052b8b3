import type { ProxyScope, WatchedThread } from '../../shared/runs-query-types';
import type { IndexDb } from './run-index-schema';

export type WatchOrigin = NonNullable<WatchedThread['origin']>;

export interface WatchedRow {
  thread_id: string;
  state: WatchedThread['state'];
  error: string | null;
  refreshed_at: number | null;
  full_sync_at: number | null;
  origin: WatchOrigin;
  seen_at: number | null;
}

const COLUMNS = 'thread_id, state, error, refreshed_at, full_sync_at, origin, seen_at';

/**
 * Proxy mode: the threads the upstream poller keeps indexed (`watched_threads`), where each came from (found in
 * forwarded traffic, or watched by hand), and the discovery's own facts (since when, how many threads left the
 * index to stay within the limit). Kept in the index file, across restarts.
 */
export class WatchedThreads {
  private readonly statements;

  constructor(private readonly db: IndexDb) {
    addDiscoveryColumns(db);
    this.statements = {
      all: db.prepare(`SELECT ${COLUMNS} FROM watched_threads ORDER BY added_at`),
      get: db.prepare(`SELECT ${COLUMNS} FROM watched_threads WHERE thread_id = ?`),
      count: db.prepare('SELECT COUNT(*) FROM watched_threads').pluck(),
      add: db.prepare(
        `INSERT INTO watched_threads (thread_id, added_at, state, origin, seen_at, refreshed_at, full_sync_at)
         VALUES (@thread_id, @now, @state, @origin, @seen_at, @synced_at, @synced_at)
         ON CONFLICT (thread_id) DO UPDATE SET
           origin = CASE WHEN excluded.origin = 'hand' THEN 'hand' ELSE watched_threads.origin END,
           seen_at = COALESCE(excluded.seen_at, watched_threads.seen_at)`,
      ),
      remove: db.prepare('DELETE FROM watched_threads WHERE thread_id = ?'),
      setState: db.prepare(
        'UPDATE watched_threads SET state = @state, error = @error, refreshed_at = @refreshed_at, full_sync_at = @full_sync_at WHERE thread_id = @thread_id',
      ),
      // Idle: no active run. Found threads leave before those watched by hand, then the longest idle first.
      idlest: db.prepare(
        `SELECT w.thread_id FROM watched_threads w LEFT JOIN query_threads t ON t.id = w.thread_id
         WHERE COALESCE(t.active_run_count, 0) = 0 AND w.thread_id NOT IN (SELECT value FROM json_each(@keep))
         ORDER BY w.origin = 'hand', MAX(COALESCE(w.seen_at, 0), COALESCE(t.last_activity_at, 0) * 1000, w.added_at)
         LIMIT @limit`,
      ),
      fact: db.prepare('SELECT value FROM proxy_discovery WHERE key = ?').pluck(),
      setFactOnce: db.prepare('INSERT OR IGNORE INTO proxy_discovery (key, value) VALUES (?, ?)'),
      addToFact: db.prepare(
        `INSERT INTO proxy_discovery (key, value) VALUES (@key, @n)
         ON CONFLICT (key) DO UPDATE SET value = value + excluded.value`,
      ),
      handCount: db.prepare("SELECT COUNT(*) FROM watched_threads WHERE origin = 'hand'").pluck(),
    };
  }

  all(): WatchedRow[] {
    return this.statements.all.all() as WatchedRow[];
  }

  get(threadId: string): WatchedRow | undefined {
    return this.statements.get.get(threadId) as WatchedRow | undefined;
  }

  count(): number {
    return this.statements.count.get() as number;
  }

  /**
   * Watches a thread (or marks it seen, or watched by hand, when it already is). `created`: its creation was seen
   * in traffic, so it has no run the traffic did not show: it is ready without being listed. True when it is new.
   */
  add(threadId: string, origin: WatchOrigin, nowMs: number, created = false): boolean {
    const isNew = this.get(threadId) === undefined;
    this.statements.add.run({
      thread_id: threadId,
      now: nowMs,
      state: created ? 'ready' : 'loading',
      origin,
      seen_at: origin === 'traffic' ? nowMs : null,
      synced_at: created ? nowMs : null,
    });
    if (isNew && origin === 'traffic') this.statements.setFactOnce.run('seen_since', nowMs);
    return isNew;
  }

  remove(threadId: string): boolean {
    return this.statements.remove.run(threadId).changes > 0;
  }

  save(row: Omit<WatchedRow, 'origin' | 'seen_at'>): void {
    this.statements.setState.run({
      thread_id: row.thread_id,
      state: row.state,
      error: row.error,
      refreshed_at: row.refreshed_at,
      full_sync_at: row.full_sync_at,
    });
  }

  /** The threads to let go so that at most `max` stay, never one of `keep` nor one with an active run. */
  overLimit(max: number, keep: readonly string[]): string[] {
    const excess = this.count() - max;
    if (excess <= 0) return [];
    return this.statements.idlest.pluck().all({ keep: JSON.stringify(keep), limit: excess }) as string[];
  }

  countEvicted(n: number): void {
    this.statements.addToFact.run({ key: 'evicted_threads', n });
  }

  scope(discovery: boolean, maxThreads: number): ProxyScope {
    return {
      discovery,
      seen_since: (this.statements.fact.get('seen_since') as number | undefined) ?? null,
      watched_threads: this.count(),
      hand_watched_threads: this.statements.handCount.get() as number,
      max_threads: maxThreads,
      evicted_threads: (this.statements.fact.get('evicted_threads') as number | undefined) ?? 0,
    };
  }
}

/** Index files written before discovery have neither the origin columns nor the facts table: they are added. */
function addDiscoveryColumns(db: IndexDb): void {
  const columns = new Set(
    (db.prepare('PRAGMA table_info(watched_threads)').all() as Array<{ name: string }>).map((c) => c.name),
  );
  if (!columns.has('origin'))
    db.exec("ALTER TABLE watched_threads ADD COLUMN origin TEXT NOT NULL DEFAULT 'hand'");
  if (!columns.has('seen_at')) db.exec('ALTER TABLE watched_threads ADD COLUMN seen_at INTEGER');
  db.exec('CREATE TABLE IF NOT EXISTS proxy_discovery (key TEXT PRIMARY KEY, value INTEGER NOT NULL)');
}
