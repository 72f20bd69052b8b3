/**
 * The one query interface the PostgreSQL store is written against, with two backends: a real server through a
 * connection pool (`server-client.ts`) and PGlite, PostgreSQL compiled to WASM and run in-process
 * (`pglite-client.ts`), so the same code and the same tests run on both.
 *
 * Conventions both backends keep:
 * - Parameters are `$1, $2, …`. JSON goes in as a string with an explicit cast (`$1::jsonb`): the two drivers would
 *   otherwise serialise objects and arrays differently.
 * - `bigint` columns come back as JS numbers (ids, sequences and millisecond times stay below 2^53; a larger one
 *   throws), `jsonb` as parsed values, `timestamptz` as `Date`.
 */
export interface SqlResult<Row> {
  rows: Row[];
  /** Rows returned, inserted, updated or deleted by the statement. */
  rowCount: number;
}

export interface SqlQueryable {
  /** One statement. */
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<Row>>;
  /** A script of statements separated by semicolons, without parameters (a migration). */
  exec(script: string): Promise<void>;
}

/** What a listener is told: a notification's payload, or that its connection was lost (notifications sent meanwhile are gone). */
export interface SqlListener {
  notification(payload: string): void;
  /** Read the change log from the last id seen, then listen again. */
  lost?(error: unknown): void;
}

export interface SqlClient extends SqlQueryable {
  /** `server`: a PostgreSQL server over the network; `pglite`: in-process, one connection. */
  readonly backend: 'server' | 'pglite';
  /**
   * Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws (the
   * error is rethrown). Queries inside must go through `tx`, never through the client.
   */
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /**
   * LISTEN on `channel` on a dedicated connection (a server's) or the only one (PGlite's). Notifications arrive once
   * their transaction commits. Resolves to the function that stops listening.
   */
  listen(channel: string, listener: SqlListener): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * A `bigint` column's text as a JS number. One beyond 2^53 would silently lose digits: it throws instead (no id,
 * counter or millisecond time of Runboard's comes near).
 */
export function bigintAsNumber(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`The bigint ${text} is beyond what a JS number holds exactly (2^53)`);
  }
  return value;
}

/** A channel name as an SQL identifier: LISTEN takes no parameters, so names are checked before they are quoted. */
export function channelIdentifier(channel: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel))
    throw new Error(`Not a channel name: ${JSON.stringify(channel)}`);
  return `"${channel}"`;
}
