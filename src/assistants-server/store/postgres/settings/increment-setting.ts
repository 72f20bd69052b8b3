import type { SqlQueryable } from '../sql-client';

/**
 * `SettingsTable.increment` on PostgreSQL: adds `by` to an integer setting (absent: 0) in one statement, so two
 * instances advancing the shared emulator clock at once both count (a read then a write would lose one).
 */
export async function incrementSetting(db: SqlQueryable, key: string, by: number): Promise<number> {
  const { rows } = await db.query<{ value: string }>(
    `INSERT INTO settings (key, value) VALUES ($1, $2::bigint::text)
     ON CONFLICT (key) DO UPDATE SET value = (settings.value::bigint + $2::bigint)::text
     RETURNING value`,
    [key, Math.round(by)],
  );
  return Number(rows[0]!.value);
}
