import type { ChangeEvent } from '../../../../shared/runs-query-types';
import { storableJsonText } from '../copy/storable-text';
import type { SqlQueryable } from '../sql-client';

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
  return appendRow(tx, type, storableJsonText(JSON.stringify(body)));
}

/** The `type` of a lifecycle event's row: its body is `{ instance, event }`, the event as the store published it. */
export const LIFECYCLE_CHANGE_TYPE = 'lifecycle';

/**
 * Records a lifecycle event (what `/v1` streams and `store.events` subscribers receive) in `change_log` inside the
 * writer's transaction, with the id of the instance that wrote it, so another instance can deliver it: as
 * `appendChange`, a distinct `type`. `eventJson` is the event as storable JSON text.
 */
export async function appendLifecycleEvent(
  tx: SqlQueryable,
  eventJson: string,
  instance: string,
): Promise<number> {
  return appendRow(
    tx,
    LIFECYCLE_CHANGE_TYPE,
    `{"instance":${JSON.stringify(instance)},"event":${eventJson}}`,
  );
}

async function appendRow(tx: SqlQueryable, type: string, body: string): Promise<number> {
  const result = await tx.query<{ id: number }>(
    `WITH writer AS MATERIALIZED (SELECT pg_current_xact_id() AS txid),
          appended AS (
            INSERT INTO change_log (txid, type, body) SELECT txid, $1, $2::jsonb FROM writer RETURNING id
          )
     SELECT id, pg_notify($3, id::text) FROM appended`,
    [type, body, CHANGES_CHANNEL],
  );
  return result.rows[0]!.id;
}
