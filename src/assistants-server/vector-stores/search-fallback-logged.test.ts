import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toFile } from 'openai';
import { afterAll, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger';
import { createHarness } from '../test-support/emulator-harness';

const folder = mkdtempSync(join(tmpdir(), 'runboard-search-fallback-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

// A search worker that throws SQLITE_BUSY for a query holding "busy" (and answers anything else itself).
const MISBEHAVING = new URL('../file-search/test-support/misbehaving-search-worker.ts', import.meta.url);

it("reports a search the worker could not do through the server's logger (its level, format and destination)", async () => {
  const lines: string[] = [];
  const logger = createLogger('warn', (line) => lines.push(line), false);
  const h = await createHarness({
    dbPath: join(folder, 'emulator.db'),
    logger,
    searchWorkerEntry: MISBEHAVING,
  });
  try {
    const file = await h.client.files.create({
      file: await toFile(Buffer.from('The boiler is busy at midnight.'), 'boiler.txt'),
      purpose: 'assistants',
    });
    const store = await h.client.vectorStores.create({ file_ids: [file.id] });
    await h.emulator.vectorStoreFiles.whenIdle();

    // The worker fails: the search is answered from the server's thread, and the user's logger hears of it.
    const page = await h.client.vectorStores.search(store.id, { query: 'busy boiler' });
    expect(page.data.map((hit) => hit.content[0]?.text)).toEqual(['The boiler is busy at midnight.']);
    const warnings = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(warnings).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: "A search by words ran in the server's thread: the search workers could not do it",
        error: 'SqliteError',
        reason: 'database is locked',
      }),
    ]);
  } finally {
    await h.close();
  }
});
