import type { Run } from '../../../../shared/openai-types';
import type { DueClaim, DueRun, UnattendedClaim } from '../../assistants-store';
import type { RunInternal, RunRecord, Transition } from '../../run-record';
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
  /** Runs never to claim (set aside by this instance: their rows cannot be read). */
  exclude?: readonly string[];
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

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_CLAIM)
    throw new RangeError(`Claim between 1 and ${MAX_CLAIM} runs at once, not ${limit}`);
}

/**
 * Claims up to `limit` runs whose transition is due by `upTo` and which nobody holds (no lease, an expired one; or
 * the owner's own lease when the transition is the run's expiry: a model run this instance is calling expires under
 * the call's lease), earliest due first, and leases them to `owner`. Rows another claimer has locked right now are skipped, not waited
 * for (`FOR UPDATE SKIP LOCKED`): concurrent claimers split the due runs between them, each run to one of them.
 */
export async function claimDueRuns(db: SqlQueryable, request: ClaimRequest): Promise<ClaimedRun[]> {
  checkLease(request.leaseMs);
  checkLimit(request.limit);
  const { rows } = await db.query<ClaimedRow>(
    `WITH due AS (
       SELECT seq FROM runs
       WHERE due_at IS NOT NULL AND due_at <= $1
         AND (lease_owner IS NULL OR lease_expires_at <= clock_timestamp()
           OR (lease_owner = $3 AND next_transition = 'expire'))
         AND NOT (id = ANY($5::text[]))
       ORDER BY due_at, seq
       LIMIT $2
       FOR UPDATE SKIP LOCKED
     )
     UPDATE runs SET lease_owner = $3, lease_expires_at = clock_timestamp() + $4 * interval '1 millisecond'
     FROM due WHERE runs.seq = due.seq
     RETURNING runs.seq, runs.id, runs.thread_id, runs.next_transition, runs.due_at, runs.lease_expires_at,
       runs.body, runs.internal`,
    [Math.floor(request.upTo), request.limit, request.owner, request.leaseMs, request.exclude ?? []],
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
 * Takes or extends `owner`'s lease on each of `runIds` that is in progress and that no one else holds (no lease, the
 * owner's, or an expired one), `leaseMs` from now: what a model call holds while it runs. Returns the ids it holds.
 * One left out is lost: the run moved on (cancelled, expired: the write that moved it cleared the lease) or another
 * instance took it over after the lease expired; the work on it must stop.
 */
export async function holdLeases(
  db: SqlQueryable,
  owner: string,
  runIds: readonly string[],
  leaseMs: number,
): Promise<string[]> {
  checkLease(leaseMs);
  const { rows } = await db.query<{ id: string }>(
    `UPDATE runs SET lease_owner = $2, lease_expires_at = clock_timestamp() + $3 * interval '1 millisecond'
     WHERE id = ANY($1::text[]) AND status = 'in_progress'
       AND (lease_owner IS NULL OR lease_owner = $2 OR lease_expires_at <= clock_timestamp())
     RETURNING id`,
    [runIds, owner, leaseMs],
  );
  return rows.map((row) => row.id);
}

/**
 * Claims up to `limit` runs executed by a model that are in progress with nobody calling the model for them: their
 * instance died (its lease expired), stopped (it released them), or has not taken them yet (they wait for a slot
 * there). Oldest first; leased to `owner`. Returns their ids.
 */
export async function claimUnattendedModelRuns(db: SqlQueryable, claim: UnattendedClaim): Promise<string[]> {
  checkLease(claim.leaseMs);
  checkLimit(claim.limit);
  const { rows } = await db.query<{ id: string }>(
    `WITH unattended AS (
       SELECT seq FROM runs
       WHERE status = 'in_progress' AND internal->>'executor' = 'model'
         AND (lease_owner IS NULL OR lease_expires_at <= clock_timestamp())
         AND NOT (id = ANY($4::text[]))
       ORDER BY seq
       LIMIT $2
       FOR UPDATE SKIP LOCKED
     )
     UPDATE runs SET lease_owner = $1, lease_expires_at = clock_timestamp() + $3 * interval '1 millisecond'
     FROM unattended WHERE runs.seq = unattended.seq
     RETURNING runs.id`,
    [claim.owner, claim.limit, claim.leaseMs, claim.exclude],
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

/**
 * The `SET` items of a run's `UPDATE` that end its lease when the write moves the run on: a new status or a new next
 * transition (a lease is on the transition it was claimed for, or on the model call of an in-progress run). A write
 * that changes neither (new metadata) keeps it. Arguments are the parameters (`$4`) of the new values; on the right
 * of `SET`, the columns are the row's values before the write.
 */
export function leaseAfterWrite(newValues: { status: string; transition: string; dueAt: string }): string {
  const unmoved = `status = ${newValues.status} AND next_transition IS NOT DISTINCT FROM ${newValues.transition}
    AND due_at IS NOT DISTINCT FROM ${newValues.dueAt}`;
  return `lease_owner = CASE WHEN ${unmoved} THEN lease_owner END,
    lease_expires_at = CASE WHEN ${unmoved} THEN lease_expires_at END`;
}

/**
 * `RunTable.claimDue` on PostgreSQL: `claimDueRuns` with the owner's set-aside runs left out, as the lifecycle's
 * `DueRun`s (the record read from the claimed row; `load` throws for a row that is not a run, as on SQLite).
 */
export async function claimDue(db: SqlQueryable, claim: DueClaim): Promise<DueRun[]> {
  const claimed = await claimDueRuns(db, {
    owner: claim.owner,
    upTo: claim.upTo,
    limit: claim.limit,
    leaseMs: claim.leaseMs,
    exclude: [...(claim.setAside ?? [])],
  });
  return claimed.map((run) => ({
    id: run.id,
    threadId: run.threadId,
    transition: run.transition as Transition,
    dueAt: run.dueAt,
    load: () => recordOf(run),
  }));
}

function recordOf(run: ClaimedRun): RunRecord {
  if (
    typeof run.body !== 'object' ||
    run.body === null ||
    typeof run.internal !== 'object' ||
    run.internal === null
  )
    throw new Error(`Run ${run.id}'s stored record is not an object`);
  return {
    run: structuredClone(run.body) as Run,
    internal: structuredClone(run.internal) as RunInternal,
    schedule: { transition: run.transition as Transition, dueAt: run.dueAt },
  };
}
