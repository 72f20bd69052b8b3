import { Readable } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import type { FileBytes } from '../files/file-bytes';
import { PostgresFileBytes } from '../store/postgres/files/postgres-file-bytes';
import { describePostgres, withPostgres } from '../store/postgres/test-support/with-postgres';
import { createHarness, type Harness } from '../test-support/emulator-harness';
import { uploadText } from './test-support/upload-text';

/**
 * Two server instances on one PostgreSQL database process the same vector store file one after the other: A reads
 * it (generation 1) and is slow; the file is attached again on B (generation 2, another chunking), which processes it
 * and writes its chunks; A's write comes last. Only B's chunks stay, each found once.
 */
const database = withPostgres();
const running: Harness[] = [];
afterEach(async () => {
  for (const harness of running.splice(0)) await harness.close();
});

/** The database's bytes, whose reads wait while held; `reading` resolves once a read waits. */
function heldDatabaseBytes(inner: FileBytes) {
  let open = () => {};
  const gate = new Promise<void>((resolve) => (open = resolve));
  let started = () => {};
  const reading = new Promise<void>((resolve) => (started = resolve));
  const bytes: FileBytes = {
    write: (id, source, maxBytes) => inner.write(id, source, maxBytes),
    remove: (id) => inner.remove(id),
    close: () => inner.close(),
    read: (id) =>
      Readable.from(
        (async function* () {
          started();
          await gate;
          yield* inner.read(id);
        })(),
      ),
  };
  return { bytes, reading, release: () => open() };
}

async function instance(id: string, fileBytes?: FileBytes): Promise<Harness> {
  const client = database.connect({ applicationName: id });
  const harness = await createHarness({ postgres: { client, ownsClient: false }, instanceId: id, fileBytes });
  running.push(harness);
  return harness;
}

const TEXT = Array.from({ length: 80 }, (_, n) => `Pallet ${n} is stacked in aisle nine.`).join(' ');

describePostgres('chunks of a file processed by two instances', () => {
  it("keeps the newer processing's chunks when the older one's write lands last, each found once", async () => {
    await database.client.exec('TRUNCATE vector_stores, vector_store_files, files, file_contents CASCADE');
    const held = heldDatabaseBytes(new PostgresFileBytes(database.connect({ applicationName: 'a-bytes' })));
    const a = await instance('instance-a', held.bytes);
    const b = await instance('instance-b');
    const fileId = await uploadText(b.client, TEXT, 'pallets.txt');

    // A processes the file (auto chunking: one chunk) and is held reading its bytes.
    const store = await a.client.vectorStores.create({ file_ids: [fileId] });
    await held.reading;
    // Attached again on B with small chunks: B processes it and writes them.
    await b.client.vectorStores.files.create(store.id, {
      file_id: fileId,
      chunking_strategy: { type: 'static', static: { max_chunk_size_tokens: 100, chunk_overlap_tokens: 0 } },
    });
    await b.emulator.vectorStoreFiles.whenIdle();
    const search = async () =>
      (await b.client.vectorStores.search(store.id, { query: 'pallet aisle', max_num_results: 50 })).data;
    const written = await search();
    expect(written.length).toBeGreaterThan(1);

    // A's write comes last: it is of an older generation, so B's chunks stay.
    held.release();
    await a.emulator.vectorStoreFiles.whenIdle();
    const after = await search();
    const texts = after.map((hit) => hit.content[0]!.text);
    expect(texts.sort()).toEqual(written.map((hit) => hit.content[0]!.text).sort());
    expect(new Set(texts).size).toBe(texts.length);
    const usage = await b.emulator.postgres!.chunkIndex.usage(store.id);
    expect(usage.chunks).toBe(written.length);
    expect(await b.client.vectorStores.files.retrieve(fileId, { vector_store_id: store.id })).toMatchObject({
      status: 'completed',
      chunking_strategy: { type: 'static', static: { max_chunk_size_tokens: 100 } },
      usage_bytes: usage.usageBytes,
    });
  });
});
