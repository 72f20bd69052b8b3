import type { SqlClient } from '../sql-client';

/** Texts examined per transaction (each a short one: it holds the unreferenced ones it found `FOR UPDATE`). */
export const SWEEP_BATCH_TEXTS = 1_000;
/** Texts examined per round at most, from where the last round stopped (wrapping to the first text). */
export const SWEEP_ROUND_TEXTS = 20_000;

const unreferenced = 'NOT EXISTS (SELECT 1 FROM query_run_search AS search WHERE search.text_id = texts.id)';

export interface SweepBatch {
  /** Texts deleted. */
  deleted: number;
  /** The last text examined (the next batch starts after it), or null when none follows `after`. */
  last: number | null;
}

/**
 * Deletes the texts no run refers to among the `limit` after id `after` (migration 8's `query_run_texts`). The
 * triggers delete a text when a write leaves it, but two transactions leaving one text at once each see the other's
 * reference (and a writer that rolls back after holding it `FOR KEY SHARE` makes the deleter skip it): such a text
 * stays until this finds it. It follows the triggers' protocol: the candidates are locked `FOR UPDATE SKIP LOCKED`
 * (a writer about to refer to one holds it `FOR KEY SHARE`: skipped; a writer arriving later waits, then finds the
 * text gone and inserts it again), and each is deleted only if a statement started after the lock still finds no
 * reference (a writer that committed between the candidates' read and the lock is seen). `afterCandidates`: tests
 * commit another transaction there.
 */
export async function sweepRunTexts(
  db: SqlClient,
  after: number,
  limit: number,
  afterCandidates?: () => Promise<void>,
): Promise<SweepBatch> {
  const { rows } = await db.query<{ last: string | null; candidates: string[] }>(
    `SELECT max(id) AS last, coalesce(array_agg(id) FILTER (WHERE unreferenced), '{}') AS candidates
     FROM (SELECT id, ${unreferenced} AS unreferenced FROM query_run_texts AS texts
           WHERE id > $1 ORDER BY id LIMIT $2) AS examined`,
    [after, limit],
  );
  const last = rows[0]?.last == null ? null : Number(rows[0].last);
  const candidates = rows[0]?.candidates ?? [];
  if (candidates.length === 0) return { deleted: 0, last };
  await afterCandidates?.();
  const deleted = await db.transaction(async (tx) => {
    const locked = await tx.query<{ id: string }>(
      `SELECT id FROM query_run_texts WHERE id = ANY($1::bigint[]) FOR UPDATE SKIP LOCKED`,
      [candidates],
    );
    if (locked.rows.length === 0) return 0;
    // A statement of its own: its snapshot, taken once the locks are held, sees every writer that held them before.
    const gone = await tx.query(
      `DELETE FROM query_run_texts AS texts WHERE id = ANY($1::bigint[]) AND ${unreferenced}`,
      [locked.rows.map((row) => row.id)],
    );
    return gone.rowCount ?? 0;
  });
  return { deleted, last };
}

/**
 * The periodic sweep of unreferenced texts (run with the change log's prune, on every instance: concurrent sweeps
 * skip each other's locked texts). Each round examines at most `roundTexts` texts in batches, from where the last
 * round stopped, so a round's cost is bounded however many texts there are; the whole table is covered every
 * (texts / roundTexts) rounds.
 */
export class RunTextSweep {
  private after = 0;

  constructor(
    private readonly db: SqlClient,
    private readonly roundTexts = SWEEP_ROUND_TEXTS,
    private readonly batchTexts = SWEEP_BATCH_TEXTS,
  ) {}

  /** One round; returns how many texts were deleted. */
  async sweep(): Promise<number> {
    let deleted = 0;
    for (let examined = 0; examined < this.roundTexts; examined += this.batchTexts) {
      const batch = await sweepRunTexts(
        this.db,
        this.after,
        Math.min(this.batchTexts, this.roundTexts - examined),
      );
      deleted += batch.deleted;
      this.after = batch.last ?? 0;
      if (batch.last === null) break;
    }
    return deleted;
  }
}
