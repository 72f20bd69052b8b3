import type { SqlQueryable } from '../sql-client';
import type { LogEntry } from './log-entry';

/**
 * Where a reader may read the change log up to without ever skipping a change.
 *
 * Ids come from the identity's sequence, taken in time order (cache 1, the default), but they become visible when
 * their transaction commits, in any order. Filtering rows by `txid < pg_snapshot_xmin(pg_current_snapshot())` is not
 * enough on its own: a transaction T1 that got its txid first can take id 6 and commit while a later T2 still holds
 * id 5; T1's row passes the filter (its txid is below T2's, the snapshot's xmin), a reader delivers 6, moves past it,
 * and 5 is skipped for ever when T2 commits. (`change-log.test.ts` shows it.)
 *
 * The rule here works on ids instead, in one statement that:
 * 1. reads `upTo`, the last id the sequence gave out, then
 * 2. takes a transaction id of its own, `next` (the statement commits at once, having written nothing: no WAL flush).
 * Every id ≤ `upTo` was taken by a transaction that already had a txid (`appendChange` takes it first), given out
 * before step 1, so below `next` (txids are given out in increasing order). Once the oldest transaction still running
 * is at or above `next` (`pg_snapshot_xmin(pg_current_snapshot()) >= next`), every transaction that could hold an id
 * ≤ `upTo` has ended: the rows ≤ `upTo` visible in that snapshot are final, and are read in the same statement, in id
 * order, each delivered once. (The snapshot's in-progress list is not enough: a running transaction whose txid is
 * above the last one completed sits at or above the snapshot's xmax and is not listed.)
 *
 * The wait lasts as long as the transactions running when the horizon was taken, in any database of the server,
 * whatever they write: keep transactions short (`npm run db:copy` runs with the server stopped). Each horizon costs
 * one transaction id (one per read pass while changes flow, not per change).
 */
export interface ChangeHorizon {
  upTo: number;
  /** A transaction id (xid8, as text) given out after `upTo`: every transaction below it must end first. */
  next: string;
}

/** The last id the change log's sequence gave out (committed or not), 0 before the first. */
export async function lastIdTaken(db: SqlQueryable): Promise<number> {
  const taken = await db.query<{ last: number | null }>(`SELECT ${LAST_ID_TAKEN} AS last`);
  return taken.rows[0]?.last ?? 0;
}

const LAST_ID_TAKEN = `pg_sequence_last_value(pg_get_serial_sequence('change_log', 'id')::regclass)`;

/** Outside a transaction: the statement must commit for its transaction id to end. */
export async function takeHorizon(db: SqlQueryable): Promise<ChangeHorizon> {
  // MATERIALIZED: the sequence is read before the transaction id is taken.
  const result = await db.query<{ last: number | null; next: string }>(
    `WITH taken AS MATERIALIZED (SELECT ${LAST_ID_TAKEN} AS last)
     SELECT last, pg_current_xact_id()::text AS next FROM taken`,
  );
  const row = result.rows[0]!;
  return { upTo: row.last ?? 0, next: row.next };
}

/** A horizon at an id already known final (a reader's position): nothing to wait for. */
export function settledHorizon(upTo: number): ChangeHorizon {
  return { upTo, next: '0' };
}

export interface PageBounds {
  /** At most this many changes per read. */
  maxItems: number;
  /** And at most this many bytes of their JSON bodies; the first change is always read, whatever its size. */
  maxBytes: number;
}

export interface ChangePage {
  /** False: a transaction older than the horizon's `next` is still running; nothing was read. */
  settled: boolean;
  /** The changes after `after` up to the horizon, in id order, at most the bounds. */
  changes: LogEntry[];
  /** True when these are all the changes up to the horizon (no bound cut the page). */
  complete: boolean;
}

interface PageRow {
  settled: boolean;
  page_rows: number;
  id: number | null;
  type: string | null;
  body: Record<string, unknown> | null;
}

/** A change_log row as the feed's event (or a lifecycle entry): its id is the event's seq. */
function asEvent(row: PageRow): LogEntry {
  return { ...row.body, type: row.type, seq: row.id } as LogEntry;
}

/**
 * The changes after `after` and up to `horizon.upTo`, read only once the horizon is settled. One statement: the
 * check and the read share one snapshot, so every row the horizon waited for is visible to the read.
 */
export async function readSettledPage(
  db: SqlQueryable,
  after: number,
  horizon: ChangeHorizon,
  bounds: PageBounds,
): Promise<ChangePage> {
  const result = await db.query<PageRow>(
    `WITH settled AS (
       SELECT pg_snapshot_xmin(pg_current_snapshot()) >= $3::xid8 AS ok
     ),
     page AS (
       SELECT id, type, body, octet_length(body::text) AS size FROM change_log
       WHERE id > $1 AND id <= $2 AND (SELECT ok FROM settled)
       ORDER BY id LIMIT $4
     ),
     sized AS (SELECT id, type, body, size, sum(size) OVER (ORDER BY id) AS running FROM page)
     SELECT (SELECT ok FROM settled) AS settled, (SELECT count(*) FROM page)::int AS page_rows,
            sized.id, sized.type, sized.body
     FROM (SELECT 1) AS one LEFT JOIN sized ON sized.running <= $5 OR sized.running = sized.size
     ORDER BY sized.id`,
    [after, horizon.upTo, horizon.next, bounds.maxItems, bounds.maxBytes],
  );
  const first = result.rows[0];
  if (!first?.settled) return { settled: false, changes: [], complete: false };
  const rows = result.rows.filter((row) => row.id !== null);
  return {
    settled: true,
    changes: rows.map(asEvent),
    complete: first.page_rows < bounds.maxItems && rows.length === first.page_rows,
  };
}
