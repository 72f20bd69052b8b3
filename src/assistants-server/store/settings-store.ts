import type { Db } from './database';

/** Emulator settings that survive a restart (the clock offset, the time scale). */
export class SettingsStore {
  private readonly getStatement;
  private readonly setStatement;
  private readonly incrementStatement;

  constructor(db: Db) {
    this.getStatement = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.setStatement = db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.incrementStatement = db
      .prepare(
        `INSERT INTO settings (key, value) VALUES (?, ?)
         ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + CAST(excluded.value AS INTEGER) AS TEXT)
         RETURNING value`,
      )
      .pluck();
  }

  get(key: string): string | null {
    const row = this.getStatement.get(key) as { value: string } | undefined;
    return row ? row.value : null;
  }

  set(key: string, value: string): void {
    this.setStatement.run(key, value);
  }

  increment(key: string, by: number): number {
    return Number(this.incrementStatement.get(key, String(Math.round(by))));
  }
}
