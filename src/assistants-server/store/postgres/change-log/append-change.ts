import type { ChangeEvent } from '../../../../shared/runs-query-types';
import type { LifecycleEvent } from '../../../events/lifecycle-events';
import type { SqlQueryable } from '../sql-client';
import { LIFECYCLE_TYPE } from './log-entry';

/** The channel every instance LISTENs on; a notification's payload is the new change's id, nothing more. */
export const CHANGES_CHANNEL = 'runboard_changes';

type WithoutSeq<T> = T extends unknown ? Omit<T, 'seq'> : never;

/** A change as a writer records it: the feed's event without its id, which the database gives. */
export type LoggedChange = WithoutSeq<ChangeEvent>;

/**
 * Records `change` in `change_log` inside the writer's transaction `tx`, and notifies every instance: the row and the
 * notification become visible together when `tx` commits, and neither does if it rolls back. Returns the change's id.
 *
 * The statement takes the transaction's id (`pg_current_xact_id()`, in a MATERIALIZED CTE computed first) before it
 * takes the change's id from the identity: every id is taken by a transaction that already has a txid, which is what
 * the readers' horizon relies on (see `change-horizon.ts`).
 */
export async function appendChange(tx: SqlQueryable, change: LoggedChange): Promise<number> {
  const { type, ...body } = change;
  return appendRow(tx, type, body);
}

/**
 * Records a lifecycle event in `change_log` inside the writer's transaction, with the id of the instance that wrote
 * it: every instance's `store.events` delivers it from the log, in the log's order (`instance-change-log.ts`).
 */
export async function appendLifecycleEvent(
  tx: SqlQueryable,
  instance: string,
  event: LifecycleEvent,
): Promise<number> {
  return appendRow(tx, LIFECYCLE_TYPE, { instance, event });
}

async function appendRow(tx: SqlQueryable, type: string, body: object): Promise<number> {
  const result = await tx.query<{ id: number }>(
    `WITH writer AS MATERIALIZED (SELECT pg_current_xact_id() AS txid),
          appended AS (
            INSERT INTO change_log (txid, type, body) SELECT txid, $1, $2::jsonb FROM writer RETURNING id
          )
     SELECT id, pg_notify($3, id::text) FROM appended`,
    [type, JSON.stringify(body), CHANGES_CHANNEL],
  );
  return result.rows[0]!.id;
}
