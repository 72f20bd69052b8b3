import { expect, it } from 'vitest';
import { describePostgres, TEST_BACKEND, withPostgres } from '../test-support/with-postgres';
import { MIGRATIONS } from './all-migrations';
import { migrate, MigrationError } from './migrate';
import type { Migration } from './migration';

const database = withPostgres({ migrated: false });

/** The versions this release knows (1 … CURRENT); the tests' own migrations come after them. */
const CURRENT = MIGRATIONS.length;
const KNOWN = MIGRATIONS.map((migration) => migration.version);

const second: Migration = {
  version: CURRENT + 1,
  name: 'notes',
  sql: 'CREATE TABLE notes (id bigint PRIMARY KEY, note text)',
};

async function appliedVersions(): Promise<number[]> {
  const { rows } = await database.client.query<{ version: number }>(
    'SELECT version FROM schema_migrations ORDER BY version',
  );
  return rows.map((row) => row.version);
}

async function tableExists(name: string): Promise<boolean> {
  const { rows } = await database.client.query('SELECT 1 FROM pg_tables WHERE tablename = $1', [name]);
  return rows.length === 1;
}

describePostgres('migrations', () => {
  it('applies every migration once, in order, from several instances starting at once', async () => {
    // Two instances (two pools on a server; PGlite has one connection, so its calls queue) and a third call.
    const other = database.connect();
    const results = await Promise.all([migrate(database.client), migrate(other), migrate(database.client)]);
    expect(results.map((result) => result.applied).sort()).toEqual([[], [], KNOWN]);
    expect(results.every((result) => result.version === MIGRATIONS.length)).toBe(true);
    expect(await appliedVersions()).toEqual(KNOWN);
    expect(await tableExists('runs')).toBe(true);
  });

  it('does nothing when the schema is current', async () => {
    expect(await migrate(database.client)).toEqual({ applied: [], version: CURRENT });
  });

  it('applies only the new migrations of a newer release', async () => {
    expect(await migrate(database.client, [...MIGRATIONS, second])).toEqual({
      applied: [CURRENT + 1],
      version: CURRENT + 1,
    });
    expect(await appliedVersions()).toEqual([...KNOWN, CURRENT + 1]);
    expect(await tableExists('notes')).toBe(true);
  });

  it('refuses a database migrated by a newer release', async () => {
    await expect(migrate(database.client)).rejects.toThrow(
      `The database's schema is at version ${CURRENT + 1} (notes); this Runboard knows versions up to ${CURRENT}.`,
    );
  });

  it('refuses a migration edited after it was applied', async () => {
    const edited = { ...second, sql: `${second.sql}; CREATE INDEX notes_by_note ON notes (note)` };
    await expect(migrate(database.client, [...MIGRATIONS, edited])).rejects.toThrow(
      `Migration ${CURRENT + 1} (notes) differs from the one applied to this database`,
    );
  });

  it('rolls back every migration of a start when one fails, and says which', async () => {
    const third: Migration = {
      version: CURRENT + 2,
      name: 'tags',
      sql: 'CREATE TABLE tags (id bigint PRIMARY KEY)',
    };
    const broken: Migration = {
      version: CURRENT + 3,
      name: 'broken',
      sql: 'ALTER TABLE no_such_table ADD COLUMN x int',
    };
    const attempt = migrate(database.client, [...MIGRATIONS, second, third, broken]);
    await expect(attempt).rejects.toThrow(MigrationError);
    await expect(attempt).rejects.toThrow(
      new RegExp(`^Migration ${CURRENT + 3} \\(broken\\) failed.*no_such_table`),
    );
    expect(await appliedVersions()).toEqual([...KNOWN, CURRENT + 1]);
    expect(await tableExists('tags')).toBe(false);
  });

  it('refuses a list with a gap in its versions before touching the database', async () => {
    await expect(
      migrate(database.client, [...MIGRATIONS, { ...second, version: CURRENT + 2 }]),
    ).rejects.toThrow(`Migration "notes" has version ${CURRENT + 2}; expected ${CURRENT + 1}`);
  });

  it.runIf(TEST_BACKEND === 'server')(
    'holds the lock while it migrates: another instance waits',
    async () => {
      const other = database.connect();
      const slow: Migration = {
        version: CURRENT + 2,
        name: 'slow',
        sql: 'SELECT pg_sleep(0.3); CREATE TABLE slow (x int)',
      };
      const list = [...MIGRATIONS, second, slow];
      const first = migrate(database.client, list);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const started = Date.now();
      const waited = await migrate(other, list);
      const [firstResult] = await Promise.all([first]);
      expect(firstResult.applied).toEqual([CURRENT + 2]);
      expect(waited.applied).toEqual([]);
      expect(Date.now() - started).toBeGreaterThan(100);
    },
  );
});
