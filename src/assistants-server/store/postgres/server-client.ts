import pg from 'pg';
import {
  bigintAsNumber,
  channelIdentifier,
  type SqlClient,
  type SqlListener,
  type SqlQueryable,
  type SqlResult,
} from './sql-client';

const INT8_OID = 20;

/** `bigint` as a JS number (see sql-client.ts), every other type as `pg` parses it. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? bigintAsNumber : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export interface ServerClientOptions {
  /** Connections the pool opens at most (the LISTEN connection is one more). */
  maxConnections?: number;
  /** Shown in pg_stat_activity, to tell instances apart. */
  applicationName?: string;
}

function queryable(target: pg.Pool | pg.PoolClient): SqlQueryable {
  return {
    async query<Row>(text: string, params: readonly unknown[] = []): Promise<SqlResult<Row>> {
      const result = await target.query(text, params as unknown[]);
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
    },
    async exec(script) {
      // Without parameters `pg` sends the simple query protocol, which runs several statements.
      await target.query(script);
    },
  };
}

/**
 * A PostgreSQL server through `pg`'s pool: queries on any free connection, a transaction on one connection held for
 * its length, LISTEN on one more connection of its own (opened at the first `listen`, shared by every channel).
 */
export function connectToServer(url: string, options: ServerClientOptions = {}): SqlClient {
  const config = {
    connectionString: url,
    types,
    application_name: options.applicationName ?? 'runboard',
  };
  // A query that waits 30 s for a free connection fails instead of waiting for ever (a pool held by stuck work).
  const pool = new pg.Pool({ ...config, max: options.maxConnections ?? 10, connectionTimeoutMillis: 30_000 });
  // An idle connection that the server drops (restart, pg_terminate_backend) is replaced at the next query.
  pool.on('error', () => {});
  /** Per channel: its listeners, and the LISTEN that every listener of the channel waits for. */
  const channels = new Map<string, { listeners: Set<SqlListener>; listening: Promise<unknown> }>();
  let listenConnection: Promise<pg.Client> | null = null;

  const openListenConnection = async (): Promise<pg.Client> => {
    const client = new pg.Client(config);
    let lost = false;
    const drop = (error: unknown) => {
      if (lost) return;
      lost = true;
      listenConnection = null;
      const dropped = [...channels.values()].flatMap((entry) => [...entry.listeners]);
      channels.clear();
      client.end().catch(() => {});
      for (const listener of dropped) listener.lost?.(error);
    };
    client.on('notification', (message) => {
      for (const listener of channels.get(message.channel)?.listeners ?? [])
        listener.notification(message.payload ?? '');
    });
    client.on('error', drop);
    client.on('end', () => drop(new Error('The LISTEN connection ended')));
    await client.connect();
    return client;
  };

  return {
    backend: 'server',
    ...queryable(pool),
    async transaction(work) {
      const connection = await pool.connect();
      let broken: Error | undefined;
      // A connection lost while checked out emits 'error' besides failing its query; unheard, that event would end
      // the process. The transaction fails through its query; the connection is discarded on release.
      const lost = (error: Error) => (broken = error);
      connection.on('error', lost);
      try {
        await connection.query('BEGIN');
        const result = await work(queryable(connection));
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await connection.query('ROLLBACK');
        } catch (rollbackError) {
          broken = rollbackError as Error;
        }
        throw error;
      } finally {
        // A connection lost, or whose rollback failed, is in an unknown state: it is closed, not reused.
        connection.off('error', lost);
        connection.release(broken);
      }
    },
    async listen(channel, listener) {
      const name = channelIdentifier(channel);
      listenConnection ??= openListenConnection().catch((error: unknown) => {
        listenConnection = null;
        throw error;
      });
      const client = await listenConnection;
      let entry = channels.get(channel);
      if (!entry) {
        const created = { listeners: new Set<SqlListener>(), listening: client.query(`LISTEN ${name}`) };
        created.listening.catch(() => {
          if (channels.get(channel) === created) channels.delete(channel);
        });
        channels.set(channel, created);
        entry = created;
      }
      entry.listeners.add(listener);
      try {
        await entry.listening;
      } catch (error) {
        entry.listeners.delete(listener);
        throw error;
      }
      return async () => {
        const current = channels.get(channel);
        if (!current?.listeners.delete(listener) || current.listeners.size > 0) return;
        channels.delete(channel);
        await client.query(`UNLISTEN ${name}`).catch(() => {});
      };
    },
    async close() {
      const client = listenConnection && (await listenConnection.catch(() => null));
      listenConnection = null;
      channels.clear();
      await Promise.all([client?.end(), pool.end()]);
    },
  };
}
