import { toFile } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { VectorStoreFile } from '../../shared/openai-types';
import { createHarness, type Harness } from '../test-support/emulator-harness';
import { heldBytes } from '../test-support/stand-in-bytes';

/**
 * Writers of one vector store at once: processing that ends while a request changes the file, files leaving or
 * joining a batch while it is processed, and files put in while they are deleted. Each writer changes only its own
 * fields, every batch is counted again when one of its files changes, and a file checked for a store is kept until
 * it is in it. Runs on both stores (`vector-store-races.postgres.test.ts`).
 */
let h: Harness;
let held: ReturnType<typeof heldBytes>;
afterEach(async () => {
  held.release();
  await h.close();
});

async function start(): Promise<void> {
  held = heldBytes();
  h = await createHarness({ fileBytes: held.bytes });
}

async function upload(text: string, filename: string): Promise<string> {
  const file = await h.client.files.create({
    file: await toFile(Buffer.from(text), filename),
    purpose: 'assistants',
  });
  return file.id;
}

async function request(method: string, path: string, body?: unknown): Promise<Response> {
  return h.app.request(`/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const ONE_COMPLETED = { in_progress: 0, completed: 1, failed: 0, cancelled: 0, total: 1 };

/** Waits until the store counts this many files being processed (the processing is held at the bytes). */
async function untilInProgress(vectorStoreId: string, count: number): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const { file_counts: counts } = await h.client.vectorStores.retrieve(vectorStoreId);
    if (counts.in_progress === count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${vectorStoreId} never had ${count} files in progress`);
}

describe('a vector store file written by a request while it is processed', () => {
  it('keeps the attributes set meanwhile, and ends completed', async () => {
    await start();
    const fileId = await upload('Pallets are stacked four high in aisle nine.', 'pallets.txt');
    held.hold();
    const store = await h.client.vectorStores.create({ file_ids: [fileId] });
    const updated = await request('POST', `/vector_stores/${store.id}/files/${fileId}`, {
      attributes: { shelf: 'b2' },
    });
    expect(((await updated.json()) as VectorStoreFile).attributes).toEqual({ shelf: 'b2' });
    held.release();
    await h.emulator.vectorStoreFiles.whenIdle();
    const file = await h.client.vectorStores.files.retrieve(fileId, { vector_store_id: store.id });
    expect(file).toMatchObject({ status: 'completed', attributes: { shelf: 'b2' } });
    expect((await h.client.vectorStores.retrieve(store.id)).file_counts).toMatchObject({
      completed: 1,
      in_progress: 0,
    });
  });
});

describe('a batch whose files change while it is processed', () => {
  it('is counted again when a file is removed, deleted or added again, so createAndPoll ends', async () => {
    await start();
    const store = await h.client.vectorStores.create({ name: 'Warehouse' });
    const [removed, deleted, readded] = [
      await upload('Forklifts are charged overnight.', 'forklifts.txt'),
      await upload('The loading dock opens at six.', 'dock.txt'),
      await upload('Pallets are stacked four high.', 'pallets.txt'),
    ];
    held.hold();
    const polled = h.client.vectorStores.fileBatches.createAndPoll(store.id, {
      file_ids: [removed, deleted, readded],
    });
    await untilInProgress(store.id, 3);
    expect((await request('DELETE', `/vector_stores/${store.id}/files/${removed}`)).status).toBe(200);
    expect((await request('DELETE', `/files/${deleted}`)).status).toBe(200);
    expect((await request('POST', `/vector_stores/${store.id}/files`, { file_id: readded })).status).toBe(
      200,
    );
    // The batch has no file left: it is complete while the file added again on its own is still processed.
    const batch = await polled;
    expect(batch).toMatchObject({
      status: 'completed',
      file_counts: { in_progress: 0, completed: 0, failed: 0, cancelled: 0, total: 0 },
    });
    held.release();
    await h.emulator.vectorStoreFiles.whenIdle();
    expect((await h.client.vectorStores.retrieve(store.id)).file_counts).toEqual(ONE_COMPLETED);
  }, 30_000);

  it('counts a batch whose file ended before it left: completed files leave its counts too', async () => {
    await start();
    const store = await h.client.vectorStores.create({});
    const files = [
      await upload('Gate A opens at six.', 'a.txt'),
      await upload('Gate B opens at seven.', 'b.txt'),
    ];
    const batch = await h.client.vectorStores.fileBatches.createAndPoll(store.id, { file_ids: files });
    expect(batch.file_counts).toMatchObject({ completed: 2, total: 2 });
    await request('DELETE', `/vector_stores/${store.id}/files/${files[0]}`);
    const after = await h.client.vectorStores.fileBatches.retrieve(batch.id, { vector_store_id: store.id });
    expect(after).toMatchObject({ status: 'completed', file_counts: { completed: 1, total: 1 } });
  });
});

describe('files put in a store while they are deleted', () => {
  it('never leaves a deleted file in a store, whichever request goes first', async () => {
    await start();
    const store = await h.client.vectorStores.create({});
    for (let delay = 0; delay < 12; delay++) {
      const fileId = await upload(`Bay ${delay} holds pallets.`, `bay-${delay}.txt`);
      const attach = request('POST', `/vector_stores/${store.id}/files`, { file_id: fileId });
      for (let tick = 0; tick < delay; tick++) await Promise.resolve();
      const remove = request('DELETE', `/files/${fileId}`);
      const [attached, removedFile] = await Promise.all([attach, remove]);
      expect(removedFile.status).toBe(200);
      expect([200, 404]).toContain(attached.status);
    }
    await h.emulator.vectorStoreFiles.whenIdle();
    const listed = await h.client.vectorStores.files.list(store.id);
    expect(listed.data.map((file) => file.id)).toEqual([]);
    expect((await h.client.vectorStores.retrieve(store.id)).file_counts.total).toBe(0);
  });

  it('never leaves files in a store deleted meanwhile: nothing of them is processed into it', async () => {
    await start();
    for (let delay = 0; delay < 12; delay++) {
      const store = await h.client.vectorStores.create({});
      const fileId = await upload(`Pallets of bay ${delay}.`, `bay-${delay}.txt`);
      const attach = request('POST', `/vector_stores/${store.id}/files`, { file_id: fileId });
      for (let tick = 0; tick < delay; tick++) await Promise.resolve();
      const [attached, deleted] = await Promise.all([
        attach,
        request('DELETE', `/vector_stores/${store.id}`),
      ]);
      expect(deleted.status).toBe(200);
      expect([200, 404]).toContain(attached.status);
      await h.emulator.vectorStoreFiles.whenIdle();
      const { hits } = await h.emulator.fileSearch.search([store.id], 'pallets bay');
      expect(hits).toEqual([]);
    }
  });

  it('keeps one file when the same file is put in twice at once', async () => {
    await start();
    const store = await h.client.vectorStores.create({});
    const fileId = await upload('Aisle 9 holds the pallets.', 'aisle.txt');
    const answers = await Promise.all(
      [0, 1].map(() => request('POST', `/vector_stores/${store.id}/files`, { file_id: fileId })),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    await h.emulator.vectorStoreFiles.whenIdle();
    expect((await h.client.vectorStores.retrieve(store.id)).file_counts).toEqual(ONE_COMPLETED);
  });
});

describe('many files of one store added at once', () => {
  it('counts every one: no recount writes back counts another changed meanwhile', async () => {
    await start();
    const store = await h.client.vectorStores.create({});
    const files = [];
    for (let index = 0; index < 16; index++)
      files.push(await upload(`Bay ${index} holds pallets.`, `bay-${index}.txt`));
    held.hold();
    const answers = await Promise.all(
      files.map((fileId) => request('POST', `/vector_stores/${store.id}/files`, { file_id: fileId })),
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    // Counted by the attaches alone (their processing is held): each saw the others' files.
    expect((await h.client.vectorStores.retrieve(store.id)).file_counts).toEqual({
      in_progress: 16,
      completed: 0,
      failed: 0,
      cancelled: 0,
      total: 16,
    });
    held.release();
    await h.emulator.vectorStoreFiles.whenIdle();
    expect(await h.client.vectorStores.retrieve(store.id)).toMatchObject({
      status: 'completed',
      file_counts: { in_progress: 0, completed: 16, failed: 0, cancelled: 0, total: 16 },
    });
  });
});
