import type { SqlQueryable } from '../sql-client';

/** How much of the change log is kept (`RUNBOARD_CHANGE_LOG_ROWS`, `RUNBOARD_CHANGE_LOG_HOURS`). */
export interface ChangeLogRetention {
  /** At most this many rows, the newest (≥ 1). */
  maxRows: number;
  /** And none older than this (ms); the newest row is kept whatever its age. */
  maxAgeMs: number;
}

export const DEFAULT_CHANGE_LOG_ROWS = 100_000;
export const DEFAULT_CHANGE_LOG_AGE_MS = 24 * 60 * 60 * 1000;

/** Rows deleted per statement: each delete is a short transaction of its own (the readers' horizon waits for it). */
export const PRUNE_BATCH_ROWS = 5_000;

/** Any instance may prune; one at a time (the others find the lock taken and skip that batch). */
const PRUNE_LOCK = 0x52_42_43_4c; // 'RBCL'

/**
 * Deletes the rows beyond `retention`, oldest first, a batch per statement, and returns how many went. A reader that
 * resumes from an id below what is kept is told `too_far_behind` (`oldestKeptId`).
 */
export async function pruneChangeLog(
  db: SqlQueryable,
  retention: ChangeLogRetention,
  batchRows = PRUNE_BATCH_ROWS,
): Promise<number> {
  if (!(retention.maxRows >= 1)) throw new RangeError('The change log keeps at least one row');
  let deleted = 0;
  for (;;) {
    const result = await db.query<{ deleted: number }>(
      `WITH locked AS MATERIALIZED (SELECT pg_try_advisory_xact_lock($4) AS got),
            newest AS (SELECT max(id) AS id FROM change_log),
            cut AS (
              SELECT greatest(
                (SELECT id FROM change_log ORDER BY id DESC OFFSET $1 LIMIT 1),
                (SELECT max(id) FROM change_log
                  WHERE at < now() - make_interval(secs => $2::double precision / 1000)
                    AND id < (SELECT id FROM newest))
              ) AS id
            ),
            gone AS (
              DELETE FROM change_log WHERE id IN (
                SELECT id FROM change_log
                WHERE (SELECT got FROM locked) AND id <= (SELECT id FROM cut)
                ORDER BY id LIMIT $3
              ) RETURNING 1
            )
       SELECT count(*)::int AS deleted FROM gone`,
      [retention.maxRows, retention.maxAgeMs, batchRows, PRUNE_LOCK],
    );
    const batch = result.rows[0]?.deleted ?? 0;
    deleted += batch;
    if (batch < batchRows) return deleted;
  }
}

/** The smallest id still kept, or null when the log is empty. */
export async function oldestKeptId(db: SqlQueryable): Promise<number | null> {
  const result = await db.query<{ id: number | null }>('SELECT min(id) AS id FROM change_log');
  return result.rows[0]?.id ?? null;
}
