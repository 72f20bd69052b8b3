import type { SettingsTable } from '../../assistants-store';
import type { PgSession } from './pg-session';

export class PgSettingsTable implements SettingsTable {
  constructor(private readonly session: PgSession) {}

  async get(key: string): Promise<string | null> {
    const { rows } = await this.session.db.query<{ value: string }>(
      'SELECT value FROM settings WHERE key = $1',
      [key],
    );
    return rows[0]?.value ?? null;
  }

  async set(key: string, value: string): Promise<void> {
    await this.session.db.query(
      'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [key, value],
    );
  }
}
