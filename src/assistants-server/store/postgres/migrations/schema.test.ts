import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openAuditStore } from '../../../../server/audit/audit-store';
import { ensureIndexSchema } from '../../../../server/run-index/run-index-schema';
import { openDatabase } from '../../database';
import type { SqlQueryable } from '../sql-client';
import { describePostgres, TEST_BACKEND, withPostgres } from '../test-support/with-postgres';

const database = withPostgres();

/** SQLite tables the PostgreSQL schema does not copy, and why. */
const NOT_IN_POSTGRES: Record<string, string> = {
  sqlite_sequence: "SQLite's AUTOINCREMENT counters (identity columns here)",
  watched_threads: "proxy mode's own index file, never the server's store",
  query_run_totals_all:
    "SQLite's triggers' sum of query_run_totals over every thread, for its all-threads counts",
};
/** FTS5's table, its vocabulary and shadow tables: the GIN trigram index on query_runs.search_text does their work. */
const isFullTextTable = (name: string) => name.startsWith('query_run_text');

/** Every table of the SQLite store, the query index and the audit trail, with its columns. */
function sqliteTables(): Map<string, string[]> {
  const folder = mkdtempSync(join(tmpdir(), 'runboard-schema-'));
  try {
    const store = openDatabase(join(folder, 'runboard.sqlite'));
    ensureIndexSchema(store);
    openAuditStore(join(folder, 'audit.sqlite')).close();
    const audit = new Database(join(folder, 'audit.sqlite'));
    const tables = new Map<string, string[]>();
    for (const db of [store, audit]) {
      const names = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .pluck()
        .all() as string[];
      for (const name of names) {
        if (name in NOT_IN_POSTGRES || isFullTextTable(name)) continue;
        const columns = db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(name) as string[];
        tables.set(name, columns);
      }
      db.close();
    }
    return tables;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function postgresColumns(table: string): Promise<string[]> {
  const { rows } = await database.client.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((row) => row.column_name);
}

/**
 * The plan of `query` with sequential scans and sorts priced out (the tables are empty: any plan is cheap), so it
 * names the index that answers the query in its order when there is one.
 */
async function plan(query: string): Promise<string> {
  return database.client.transaction(async (tx: SqlQueryable) => {
    await tx.query('SET LOCAL enable_seqscan = off');
    await tx.query('SET LOCAL enable_sort = off');
    const { rows } = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${query}`);
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  });
}

describePostgres('the PostgreSQL schema (migration 1)', () => {
  it("has every table and column the SQLite store keeps, under SQLite's names", async () => {
    const tables = sqliteTables();
    expect([...tables.keys()]).toEqual(
      expect.arrayContaining([
        'runs',
        'messages',
        'message_text_appends',
        'model_calls',
        'audit_entries',
        'query_runs',
      ]),
    );
    for (const [table, columns] of tables) {
      expect({ table, columns: await postgresColumns(table) }).toEqual({
        table,
        columns: expect.arrayContaining(columns),
      });
    }
  });

  it('adds what several instances need: a lease on runs and a change log numbered by the database', async () => {
    expect(await postgresColumns('runs')).toEqual(
      expect.arrayContaining(['lease_owner', 'lease_expires_at']),
    );
    expect(await postgresColumns('change_log')).toEqual(['id', 'txid', 'at', 'type', 'body']);
    // A lease is an owner and an expiry, never one without the other.
    await expect(
      database.client.query(
        `INSERT INTO runs (id, thread_id, created_at, status, body, internal, lease_owner)
         VALUES ('run_x', 'thread_x', 0, 'queued', '{}', '{}', 'instance-a')`,
      ),
    ).rejects.toThrow(/runs_check/);
  });

  it('keeps bodies as jsonb, readable inside by PostgreSQL', async () => {
    const { client } = database;
    await client.query("INSERT INTO model_calls (run_id, body) VALUES ('run_1', $1::jsonb)", [
      JSON.stringify({ outcome: 'in_flight', latency_ms: 12 }),
    ]);
    const { rows } = await client.query<{ outcome: string; latency: number }>(
      "SELECT body->>'outcome' AS outcome, (body->>'latency_ms')::int AS latency FROM model_calls WHERE run_id = 'run_1'",
    );
    expect(rows).toEqual([{ outcome: 'in_flight', latency: 12 }]);
  });

  it('sorts the text that cursors seek on in byte order, as SQLite does, whatever the server locale', async () => {
    const { rows } = await database.client.query<{ column_name: string; collation_name: string | null }>(
      `SELECT column_name, collation_name FROM information_schema.columns
       WHERE table_name = 'query_runs' AND column_name IN ('id', 'k_id', 'k_assistant', 'k_model', 'k_outcome', 'k_metadata')
       ORDER BY column_name`,
    );
    expect(rows.every((row) => row.collation_name === 'C')).toBe(true);
    expect(rows).toHaveLength(6);
  });

  it('answers a substring search of the runs from the trigram index', async () => {
    expect(await plan("SELECT id FROM query_runs WHERE search_text ILIKE '%weather%'")).toContain(
      'query_runs_search',
    );
  });

  it.each([
    ['tokens', 'k_tokens', 'query_runs_by_tokens'],
    ['created', 'created_at', 'query_runs_by_created'],
    ['model', 'k_model', 'query_runs_by_model'],
  ])('pages the runs by %s on its index, from a (sort value, ord) cursor', async (_field, column, index) => {
    const page = `SELECT id FROM query_runs WHERE (${column}, ord) < ('1', 500) ORDER BY ${column} DESC, ord DESC LIMIT 100`;
    expect(await plan(page)).toMatch(new RegExp(`Index Scan Backward using ${index} `));
    const withinStatus = `SELECT id FROM query_runs WHERE k_status = 3 AND (${column}, ord) > ('1', 500) ORDER BY ${column}, ord LIMIT 100`;
    expect(await plan(withinStatus)).toMatch(new RegExp(`Index Scan using query_runs_by_status_${_field} `));
  });

  it('claims due runs from the due index', async () => {
    expect(
      await plan(
        'SELECT seq FROM runs WHERE due_at IS NOT NULL AND due_at <= 100 ORDER BY due_at, seq LIMIT 10',
      ),
    ).toContain('runs_due');
  });

  it.runIf(TEST_BACKEND === 'server')(
    'numbers changes in insertion order; a reader below the oldest running transaction never skips a late commit',
    async () => {
      const { client } = database;
      const other = database.connect();
      const insert = (db: SqlQueryable, type: string) =>
        db.query<{ id: number }>("INSERT INTO change_log (type, body) VALUES ($1, '{}') RETURNING id", [
          type,
        ]);
      const settled = `SELECT id FROM change_log WHERE txid < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY id`;
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let inserted!: () => void;
      const earlyInserted = new Promise<void>((resolve) => (inserted = resolve));
      const early = client.transaction(async (tx) => {
        const row = await insert(tx, 'early');
        inserted();
        await held;
        return row.rows[0]!.id;
      });
      await earlyInserted;
      const late = (await insert(other, 'late')).rows[0]!.id;
      // The late change committed first, but its id is above the early one's, still uncommitted: not yet readable.
      expect((await other.query(settled)).rows).toEqual([]);
      release();
      const earlyId = await early;
      expect(earlyId).toBeLessThan(late);
      expect((await other.query<{ id: number }>(settled)).rows.map((row) => row.id)).toEqual([earlyId, late]);
    },
  );
});
