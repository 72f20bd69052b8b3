import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import {
  bigintAsNumber,
  channelIdentifier,
  type SqlClient,
  type SqlQueryable,
  type SqlResult,
} from './sql-client';

function queryable(target: PGlite | Transaction): SqlQueryable {
  return {
    async query<Row>(text: string, params: readonly unknown[] = []): Promise<SqlResult<Row>> {
      const result = await target.query<Row>(text, params as unknown[]);
      return { rows: result.rows, rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length };
    },
    async exec(script) {
      await target.exec(script);
    },
  };
}

/**
 * PostgreSQL compiled to WASM, in this process, with `pg_trgm` (the run search's index): in memory, or in `dataDir`.
 * One connection: statements run one at a time, and a transaction holds the database until it ends (others wait).
 */
export async function openPglite(dataDir?: string): Promise<SqlClient> {
  const db = await PGlite.create({
    dataDir,
    extensions: { pg_trgm },
    parsers: { [types.INT8]: bigintAsNumber },
  });
  return {
    backend: 'pglite',
    ...queryable(db),
    transaction: (work) => db.transaction((tx) => work(queryable(tx))),
    async listen(channel, listener) {
      channelIdentifier(channel);
      const unlisten = await db.listen(channel, (payload) => listener.notification(payload));
      return unlisten;
    },
    close: () => db.close(),
  };
}
