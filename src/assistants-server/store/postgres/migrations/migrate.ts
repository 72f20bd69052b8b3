import { createHash } from 'node:crypto';
import type { SqlClient, SqlQueryable } from '../sql-client';
import { MIGRATIONS } from './all-migrations';
import type { Migration } from './migration';

/** The advisory lock every instance takes around its migrations ("runboard" in ASCII): one migrates, others wait. */
export const MIGRATION_LOCK_KEY = 0x72_75_6e_62_6f_61_72_64n;

export class MigrationError extends Error {}

export interface MigrationResult {
  /** Versions this call applied, in order (empty when the schema was current). */
  applied: number[];
  /** The schema's version now. */
  version: number;
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

function checksum(migration: Migration): string {
  return createHash('sha256').update(migration.sql).digest('hex');
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new MigrationError(
        `Migration "${migration.name}" has version ${migration.version}; expected ${index + 1} (versions run 1, 2, 3… with no gap).`,
      );
    }
  });
}

/**
 * Brings the schema to the newest migration: at start, from any number of instances at once. In one transaction
 * under a transaction-level advisory lock: an instance that starts while another migrates waits for it, then finds
 * nothing left to do; a migration that fails rolls back every one applied with it, and the error says which.
 * Refuses a database migrated by a newer Runboard (a version this code does not know), or one whose applied migration
 * differs from this code's (edited after release).
 */
export async function migrate(
  client: SqlClient,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationResult> {
  checkOrder(migrations);
  return client.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await tx.query<AppliedRow>(
      'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
    );
    checkApplied(rows, migrations);
    const applied: number[] = [];
    for (const migration of migrations.slice(rows.length)) {
      await apply(tx, migration);
      applied.push(migration.version);
    }
    return { applied, version: migrations.length };
  });
}

function checkApplied(rows: AppliedRow[], migrations: readonly Migration[]): void {
  const newest = rows.at(-1);
  if (newest && newest.version > migrations.length) {
    throw new MigrationError(
      `The database's schema is at version ${newest.version} (${newest.name}); this Runboard knows versions up to ${migrations.length}. Run a Runboard at least as new as the one that migrated it.`,
    );
  }
  rows.forEach((row, index) => {
    const migration = migrations[index]!;
    if (row.version !== migration.version || row.checksum !== checksum(migration)) {
      throw new MigrationError(
        `Migration ${migration.version} (${migration.name}) differs from the one applied to this database as ${row.version} (${row.name}): a released migration is never edited; add a new one.`,
      );
    }
  });
}

async function apply(tx: SqlQueryable, migration: Migration): Promise<void> {
  try {
    await tx.exec(migration.sql);
  } catch (error) {
    throw new MigrationError(
      `Migration ${migration.version} (${migration.name}) failed, and none of this start's migrations were applied: ${(error as Error).message}`,
      { cause: error },
    );
  }
  await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
    migration.version,
    migration.name,
    checksum(migration),
  ]);
}
