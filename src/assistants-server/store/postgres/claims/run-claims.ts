import type { SqlQueryable } from '../sql-client';

/**
 * Claiming due run transitions once across instances: a run whose transition is due is taken by one instance at a
 * time, under a lease (an owner and an expiry on the database's clock). An instance that dies stops renewing; once
 * its leases expire, any instance claims those runs again. An instance that stops cleanly releases its leases so
 * others take the runs at once.
 */
export interface ClaimedRun {
  id: string;
  threadId: string;
  transition: string;
  /** Emulator time (ms) the transition was due at. */
  dueAt: number;
  leaseExpiresAt: Date;
  /** The run's wire JSON and server-only state, as stored. */
  body: unknown;
  internal: unknown;
}

export interface ClaimRequest {
  /** Who claims: an instance id, unique per process (host, pid, start). */
  owner: string;
  /** Emulator time (ms): transitions due at or before it are claimed. */
  upTo: number;
  /** At most this many runs (1–1000). */
  limit: number;
  /** How long the lease lasts unless renewed (ms). */
  leaseMs: number;
}

export const MAX_CLAIM = 1000;

interface ClaimedRow {
  seq: number;
  id: string;
  thread_id: string;
  next_transition: string;
  due_at: number;
  lease_expires_at: Date;
  body: unknown;
  internal: unknown;
}

function checkLease(leaseMs: number): void {
  if (!Number.isFinite(leaseMs) || leaseMs <= 0)
    throw new RangeError(`A lease lasts a positive time: ${leaseMs} ms`);
}

/**
 * Claims up to `limit` runs whose transition is due by `upTo` and which nobody holds (no lease, or an expired one),
 * earliest due first, and leases them to `owner`. Rows another claimer has locked right now are skipped, not waited
 * for (`FOR UPDATE SKIP LOCKED`): concurrent claimers split the due runs between them, each run to one of them.
 */
export async function claimDueRuns(db: SqlQueryable, request: ClaimRequest): Promise<ClaimedRun[]> {
  checkLease(request.leaseMs);
  if (!Number.isInteger(request.limit) || request.limit < 1 || request.limit > MAX_CLAIM) {
    throw new RangeError(`Claim between 1 and ${MAX_CLAIM} runs at once, not ${request.limit}`);
  }
  const { rows } = await db.query<ClaimedRow>(
    `WITH due AS (
       SELECT seq FROM runs
       WHERE due_at IS NOT NULL AND due_at <= $1
         AND (lease_owner IS NULL OR lease_expires_at <= clock_timestamp())
       ORDER BY due_at, seq
       LIMIT $2
       FOR UPDATE SKIP LOCKED
     )
     UPDATE runs SET lease_owner = $3, lease_expires_at = clock_timestamp() + $4 * interval '1 millisecond'
     FROM due WHERE runs.seq = due.seq
     RETURNING runs.seq, runs.id, runs.thread_id, runs.next_transition, runs.due_at, runs.lease_expires_at,
       runs.body, runs.internal`,
    [Math.floor(request.upTo), request.limit, request.owner, request.leaseMs],
  );
  return rows
    .sort((a, b) => a.due_at - b.due_at || a.seq - b.seq)
    .map((row) => ({
      id: row.id,
      threadId: row.thread_id,
      transition: row.next_transition,
      dueAt: row.due_at,
      leaseExpiresAt: row.lease_expires_at,
      body: row.body,
      internal: row.internal,
    }));
}

/**
 * Extends `owner`'s leases on `runIds` by `leaseMs` from now. Returns the ids it still held (a lease that expired
 * and was claimed by another instance is lost: its work must stop, the other instance redoes it).
 */
export async function renewLeases(
  db: SqlQueryable,
  owner: string,
  runIds: readonly string[],
  leaseMs: number,
): Promise<string[]> {
  checkLease(leaseMs);
  const { rows } = await db.query<{ id: string }>(
    `UPDATE runs SET lease_expires_at = clock_timestamp() + $3 * interval '1 millisecond'
     WHERE id = ANY($1::text[]) AND lease_owner = $2 RETURNING id`,
    [runIds, owner, leaseMs],
  );
  return rows.map((row) => row.id);
}

/** Gives up `owner`'s leases on `runIds`, or on every run it holds (a clean stop). Returns how many it released. */
export async function releaseLeases(
  db: SqlQueryable,
  owner: string,
  runIds?: readonly string[],
): Promise<number> {
  const { rowCount } = runIds
    ? await db.query(
        `UPDATE runs SET lease_owner = NULL, lease_expires_at = NULL
         WHERE id = ANY($1::text[]) AND lease_owner = $2`,
        [runIds, owner],
      )
    : await db.query('UPDATE runs SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = $1', [
        owner,
      ]);
  return rowCount;
}
