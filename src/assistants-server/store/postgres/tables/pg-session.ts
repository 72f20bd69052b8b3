import type { LifecycleEvent } from '../../../events/lifecycle-events';
import { storableJsonText, storableText } from '../copy/storable-text';
import type { SqlQueryable } from '../sql-client';

/**
 * What a PostgreSQL table works on: a connection (a transaction's, or the pool's for reads on committed data) and,
 * inside a transaction, where its writes report what they changed (the query tables, the change log and the events
 * published after the commit: `postgres-assistants-store.ts`).
 */
export interface PgSession {
  readonly db: SqlQueryable;
  /** A write of a run, thread, message, assistant or step, just made in this transaction: `event` says what. */
  written(event: LifecycleEvent): Promise<void>;
}

/** A value as jsonb text (U+0000, which jsonb cannot hold, stored as U+FFFD: see the README). */
export function jsonText(value: unknown): string {
  return storableJsonText(JSON.stringify(value));
}

/** Text made storable (U+0000 as U+FFFD). */
export function storable(text: string): string {
  return storableText(text).value;
}
