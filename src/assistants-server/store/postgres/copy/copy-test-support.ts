import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { SqlClient } from '../sql-client';

/**
 * A temporary folder for the test file's SQLite source (`runboard.sqlite` in it), seeded before its tests and removed
 * after them.
 */
export function withSourceFolder(seed: (paths: { folder: string; storePath: string }) => Promise<void>): {
  readonly folder: string;
  readonly storePath: string;
} {
  const paths = { folder: '', storePath: '' };
  beforeAll(async () => {
    paths.folder = mkdtempSync(join(tmpdir(), 'runboard-copy-'));
    paths.storePath = join(paths.folder, 'runboard.sqlite');
    await seed(paths);
  }, 60_000);
  afterAll(() => rmSync(paths.folder, { recursive: true, force: true }));
  return paths;
}

/** The client, with every query of its transactions shown to `observe` before it runs. */
export function observedTransactions(
  client: SqlClient,
  observe: (text: string, params: readonly unknown[]) => void,
): SqlClient {
  return {
    ...client,
    transaction: (work) =>
      client.transaction((tx) =>
        work({
          ...tx,
          query: (text, params) => {
            observe(text, params ?? []);
            return tx.query(text, params);
          },
        }),
      ),
  };
}
