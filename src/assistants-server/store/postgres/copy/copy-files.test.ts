import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { toFile } from 'openai';
import { expect, it, vi } from 'vitest';
import { createHarness, type Harness } from '../../../test-support/emulator-harness';
import { toBlob } from '../../../file-search/vectors';
import { PART_BYTES } from '../files/postgres-file-bytes';
import { describePostgres, TEST_BACKEND, withPostgres } from '../test-support/with-postgres';
import { runCopyCommand } from './copy-command';
import { observedTransactions, withSourceFolder } from './copy-test-support';
import { copySqliteToPostgres, FILE_BYTES_STEP, type CopyProgress, type CopyReport } from './copy-sqlite';

const database = withPostgres({ migrated: false });
// Seeding through the real server, then copying on PGlite (WASM, one connection): seconds on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

const MANUAL = [
  'The pump is primed by opening the bleed valve until water runs clear.',
  'Replace the impeller every 2,000 hours of operation.',
].join('\n');
const RECIPES = 'A sourdough starter is fed with flour and water every twelve hours.';
/** Every byte value, over two and a half parts of PostgreSQL's file bytes: parts in order, no byte re-encoded. */
const BINARY = Buffer.from(
  Array.from({ length: Math.floor(PART_BYTES * 2.5) + 1 }, (_, index) => (index * 7 + (index >> 10)) % 256),
);

const source = withSourceFolder(() => seedSqlite());
const ids = { binary: '', manual: '', recipes: '', store: '', batch: '' };
/** What the SQLite server answered, to be answered the same by the PostgreSQL server on the copy. */
let before: Awaited<ReturnType<typeof answers>>;
let searchedBefore: unknown[];
const embedding = toBlob(Float32Array.from([0.6, 0.8, 0, -0.25]));

async function answers(h: Harness) {
  const list = async <T>(page: Promise<{ data: T[] }>) => (await page).data;
  return {
    files: await list(h.client.files.list()),
    content: Buffer.from(await (await h.client.files.content(ids.binary)).arrayBuffer()),
    vectorStore: await h.client.vectorStores.retrieve(ids.store),
    vectorStoreFiles: await list(h.client.vectorStores.files.list(ids.store)),
    batch: await h.client.vectorStores.fileBatches.retrieve(ids.batch, { vector_store_id: ids.store }),
    batchFiles: await list(
      h.client.vectorStores.fileBatches.listFiles(ids.batch, { vector_store_id: ids.store }),
    ),
  };
}

/** The hits of a search, without their scores (SQLite ranks with FTS5's bm25, PostgreSQL with ts_rank_cd). */
async function search(h: Harness, query: string): Promise<unknown[]> {
  const page = await h.client.vectorStores.search(ids.store, { query });
  return page.data.map(({ score: _score, ...hit }) => hit);
}

async function upload(h: Harness, bytes: Buffer, filename: string): Promise<string> {
  return (await h.client.files.create({ file: await toFile(bytes, filename), purpose: 'assistants' })).id;
}

/** A SQLite server's files and vector stores: an uploaded binary, a store with a processed file and a batch. */
async function seedSqlite(): Promise<void> {
  const h = await createHarness({ dbPath: source.storePath });
  try {
    ids.binary = await upload(h, BINARY, 'pattern.bin');
    ids.manual = await upload(h, Buffer.from(MANUAL), 'pump-manual.md');
    ids.recipes = await upload(h, Buffer.from(RECIPES), 'bread.txt');
    const store = await h.client.vectorStores.create({
      name: 'Handbooks',
      file_ids: [ids.manual],
      metadata: { team: 'ops' },
    });
    ids.store = store.id;
    await h.emulator.vectorStoreFiles.whenIdle();
    ids.batch = (await h.client.vectorStores.fileBatches.create(ids.store, { file_ids: [ids.recipes] })).id;
    await h.emulator.vectorStoreFiles.whenIdle();
    searchedBefore = await search(h, 'how often to replace the impeller');
    before = await answers(h);
  } finally {
    await h.close();
  }
  // An embedding as the embedding model leaves one: Float32 in a BLOB (this server had no model).
  const db = new Database(source.storePath);
  try {
    db.prepare(
      `INSERT INTO file_search_embeddings (chunk_id, vector_store_id, embedding)
       SELECT MIN(id), vector_store_id, ? FROM file_search_chunks`,
    ).run(embedding);
  } finally {
    db.close();
  }
}

function withSource<T>(work: (store: Database.Database) => Promise<T>): Promise<T> {
  const store = new Database(source.storePath, { readonly: true });
  return work(store).finally(() => store.close());
}

let report: CopyReport;
const progress: CopyProgress[] = [];

describePostgres('copying files, vector stores and the file-search index into PostgreSQL', () => {
  it('copies the records, the bytes a part at a time, the vector stores and the chunk index', async () => {
    let largest = 0;
    // Records the largest bytea value sent in one query.
    const target = observedTransactions(database.client, (_text, params) => {
      for (const value of params)
        if (value instanceof Uint8Array) largest = Math.max(largest, value.byteLength);
    });
    report = await withSource((store) =>
      copySqliteToPostgres({ store, target, onProgress: (step) => progress.push(step) }),
    );
    expect(report.copied).toMatchObject({
      files: 3,
      vector_stores: 1,
      vector_store_file_batches: 1,
      vector_store_files: 2,
      file_search_files: 2,
      file_search_chunks: 2,
      file_search_embeddings: 1,
      file_search_store_versions: 1,
    });
    expect(report.fileBytes).toEqual({
      files: 3,
      bytes: BINARY.length + MANUAL.length + RECIPES.length,
      withoutBytes: { count: 0, ids: [] },
    });
    // Streamed: no value sent larger than a part, though the file is two and a half of them.
    expect(largest).toBe(PART_BYTES);
    expect(progress.filter((step) => step.table === FILE_BYTES_STEP).at(-1)).toEqual({
      table: FILE_BYTES_STEP,
      copied: 3,
      total: 3,
    });
    const { rows } = await database.client.query<{ embedding: Uint8Array }>(
      'SELECT embedding FROM file_search_embeddings',
    );
    expect(Buffer.from(rows[0]!.embedding)).toEqual(embedding);
  });

  it('a PostgreSQL server on the copy answers the same files, bytes, vector stores and search hits', async () => {
    const h = await createHarness({ postgres: { client: database.client, ownsClient: false } });
    try {
      const after = await answers(h);
      expect(after.content.equals(BINARY)).toBe(true);
      expect(after).toEqual(before);
      expect(after.vectorStore).toMatchObject({
        status: 'completed',
        file_counts: { in_progress: 0, completed: 2, failed: 0, cancelled: 0, total: 2 },
      });
      const found = await search(h, 'how often to replace the impeller');
      expect(found).toEqual(searchedBefore);
      expect(found[0]).toMatchObject({ file_id: ids.manual, filename: 'pump-manual.md' });

      // The counters moved past the copied values: a new file, its chunks and the store's version take new ones.
      const added = await upload(h, Buffer.from('Torque the flange bolts to 40 Nm.'), 'flange.txt');
      await h.client.vectorStores.files.create(ids.store, { file_id: added });
      await h.emulator.vectorStoreFiles.whenIdle();
      expect(await h.client.vectorStores.files.retrieve(added, { vector_store_id: ids.store })).toMatchObject(
        {
          status: 'completed',
        },
      );
      expect((await search(h, 'flange bolts'))[0]).toMatchObject({ file_id: added });
      expect((await h.client.files.list()).data.map((file) => file.id)).toEqual([
        added,
        ...before.files.map((file) => file.id),
      ]);
    } finally {
      await h.close();
    }
  });

  it('refuses a target holding files, and with replace copies records whose bytes are gone without them', async () => {
    await expect(
      withSource((store) => copySqliteToPostgres({ store, target: database.client })),
    ).rejects.toThrow(/already holds data \(.*files: 4.*file_contents: 4/);
    const empty = join(source.folder, 'no-bytes');
    mkdirSync(empty);
    const again = await withSource((store) =>
      copySqliteToPostgres({ store, target: database.client, replace: true, filesFolder: empty }),
    );
    expect(again.copied.files).toBe(3);
    expect(again.fileBytes).toEqual({
      files: 0,
      bytes: 0,
      withoutBytes: { count: 3, ids: [ids.binary, ids.manual, ids.recipes] },
    });
    const { rows } = await database.client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM file_content_parts',
    );
    expect(rows[0]!.n).toBe(0);
  });

  it.runIf(TEST_BACKEND === 'server')(
    'says from the command line how many files and bytes it copied, and which records had none',
    async () => {
      const lines: string[] = [];
      const output = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
      const args = ['--from', source.storePath, '--to', database.url!, '--replace'];
      expect(await runCopyCommand(args, output)).toBe(0);
      const total = BINARY.length + MANUAL.length + RECIPES.length;
      expect(lines).toContain(`Bytes of 3 uploaded file(s) copied: ${total.toLocaleString('en-US')} bytes.`);
      expect(lines).toContain(`  ${FILE_BYTES_STEP}: 3 / 3`);
      lines.length = 0;
      const empty = join(source.folder, 'no-bytes');
      expect(await runCopyCommand([...args, '--files', empty], output)).toBe(0);
      expect(lines).toContain(
        `3 file record(s) had no bytes in the files folder (copied without, as they were): ${ids.binary}, ${ids.manual}, ${ids.recipes}.`,
      );
      lines.length = 0;
      expect(await runCopyCommand([...args, '--files', join(source.folder, 'nowhere')], output)).toBe(2);
      expect(lines[0]).toContain('nowhere does not exist');
    },
  );
});
