import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe } from 'vitest';
import { migrate } from '../migrations/migrate';
import { connectToServer, type ServerClientOptions } from '../server-client';
import type { SqlClient } from '../sql-client';

/**
 * Where this run's PostgreSQL tests run: on a real server when RUNBOARD_TEST_DATABASE_URL is set (CI starts one:
 * .ci/run), else on PGlite in memory. The URL names a database this user can connect to and create databases from;
 * each test file gets a database of its own, dropped after it.
 */
type Target =
  | { kind: 'server'; adminUrl: string }
  | { kind: 'pglite'; open: () => Promise<SqlClient> }
  | { kind: 'none'; reason: string };

async function findTarget(): Promise<Target> {
  const url = process.env.RUNBOARD_TEST_DATABASE_URL?.trim();
  if (url) return { kind: 'server', adminUrl: url };
  try {
    // Loaded here, not imported: a clone where PGlite cannot load skips these tests instead of failing to import.
    const { openPglite } = await import('../pglite-client');
    return { kind: 'pglite', open: () => openPglite() };
  } catch (error) {
    return {
      kind: 'none',
      reason: `PostgreSQL tests skipped: RUNBOARD_TEST_DATABASE_URL is not set and PGlite cannot load (${(error as Error).message}).`,
    };
  }
}

const target = await findTarget();
if (target.kind === 'none') console.warn(`\n⚠ ${target.reason}\n`);

/** `server` or `pglite`: what the tests of this run talk to. */
export const TEST_BACKEND = target.kind;

export interface TestDatabase {
  /** The file's database, migrated unless asked otherwise. */
  readonly client: SqlClient;
  /**
   * Another client on the same database: a second pool on a server (another instance), or the same one on PGlite
   * (which has only one connection).
   */
  connect(options?: ServerClientOptions): SqlClient;
  /** The database's URL (a server's), or null on PGlite. */
  readonly url: string | null;
}

/** `describe`, skipped with the printed reason when neither a server nor PGlite can run. */
export const describePostgres = (name: string, body: () => void) =>
  describe.skipIf(target.kind === 'none')(`${name} (${target.kind})`, body);

function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * A fresh database for the calling test file: created before its tests (and migrated unless `migrated: false`),
 * closed and dropped after them, with every client `connect` opened.
 */
export function withPostgres({ migrated = true }: { migrated?: boolean } = {}): TestDatabase {
  let client: SqlClient | undefined;
  let url: string | null = null;
  const opened: SqlClient[] = [];
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    if (target.kind === 'none') return;
    if (target.kind === 'server') {
      const admin = connectToServer(target.adminUrl, { maxConnections: 1 });
      const name = `runboard_test_${randomBytes(6).toString('hex')}`;
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.close();
      }
      url = databaseUrl(target.adminUrl, name);
      drop = async () => {
        const dropper = connectToServer(target.adminUrl, { maxConnections: 1 });
        try {
          await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await dropper.close();
        }
      };
      client = connectToServer(url);
    } else {
      client = await target.open();
    }
    opened.push(client);
    if (migrated) await migrate(client);
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(opened.map((each) => each.close()));
    await drop?.();
  }, 60_000);

  return {
    get client() {
      if (!client) throw new Error('The test database is opened in beforeAll: use it inside a test.');
      return client;
    },
    get url() {
      return url;
    },
    connect(options) {
      if (!client) throw new Error('The test database is opened in beforeAll: use it inside a test.');
      if (!url) return client;
      const another = connectToServer(url, options);
      opened.push(another);
      return another;
    },
  };
}
