import { expect, it } from 'vitest';
import { describePostgres, withPostgres } from '../test-support/with-postgres';
import { incrementSetting } from './increment-setting';

const database = withPostgres();

describePostgres('a shared integer setting (the emulator clock offset)', () => {
  it('starts from 0, and counts every increment of two instances adding at once', async () => {
    const instances = [database.connect({ maxConnections: 4 }), database.connect({ maxConnections: 4 })];
    expect(await incrementSetting(database.client, 'clock_offset_ms', 1_000)).toBe(1_000);
    await Promise.all(
      instances.flatMap((db) =>
        Array.from({ length: 20 }, () => incrementSetting(db, 'clock_offset_ms', 500)),
      ),
    );
    const { rows } = await database.client.query<{ value: string }>(
      "SELECT value FROM settings WHERE key = 'clock_offset_ms'",
    );
    expect(rows[0]!.value).toBe(String(1_000 + 40 * 500));
  });
});
