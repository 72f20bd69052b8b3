import { afterEach, describe, expect, it } from 'vitest';
import type { AssistantsStore, StoreTransaction } from '../store/assistants-store';
import { TEST_BACKEND } from '../store/postgres/test-support/with-postgres';
import { createHarness, type Harness } from '../test-support/emulator-harness';
import { testStoreKind } from '../test-support/test-store';
import { uploadText } from './test-support/upload-text';
import { MAX_CARRIED_FILES } from './thread-attachments';

/**
 * The thread's vector store that a message's `file_search` attachments go into, when it is gone or expired: the
 * message is never refused for it; a new store takes the attachments (and an expired store's files). Runs on both
 * stores (`thread-store.postgres.test.ts`).
 */
let h: Harness;
afterEach(() => h.close());

const upload = (text: string, filename: string) => uploadText(h.client, text, filename);

const storeIdOf = (thread: { tool_resources?: unknown }) =>
  (thread.tool_resources as { file_search?: { vector_store_ids?: string[] } } | null)?.file_search
    ?.vector_store_ids?.[0];

async function threadWithAttachment(): Promise<{ threadId: string; storeId: string; fileId: string }> {
  const fileId = await upload('The ferry leaves the north pier at 7:15.', 'ferry.txt');
  const thread = await h.client.beta.threads.create({
    messages: [
      {
        role: 'user',
        content: 'ferry?',
        attachments: [{ file_id: fileId, tools: [{ type: 'file_search' }] }],
      },
    ],
  });
  await h.emulator.vectorStoreFiles.whenIdle();
  return { threadId: thread.id, storeId: storeIdOf(thread)!, fileId };
}

function attach(threadId: string, fileId: string) {
  return h.client.beta.threads.messages.create(threadId, {
    role: 'user',
    content: 'And this one?',
    attachments: [{ file_id: fileId, tools: [{ type: 'file_search' }] }],
  });
}

async function foundFiles(storeId: string, query: string): Promise<string[]> {
  const page = await h.client.vectorStores.search(storeId, { query });
  return [...new Set(page.data.map((hit) => hit.file_id))].sort();
}

describe("a message's attachment when the thread's vector store has expired", () => {
  it('goes into a new store for the thread, which takes the expired store’s files too', async () => {
    h = await createHarness();
    const { threadId, storeId: expiredId, fileId: ferry } = await threadWithAttachment();
    await h.advance(8 * 86_400); // 7 days unused: the thread's store has expired
    expect(await h.client.vectorStores.retrieve(expiredId)).toMatchObject({ status: 'expired' });

    const bus = await upload('The bus meets the ferry at the north pier.', 'bus.txt');
    await attach(threadId, bus);
    const newId = storeIdOf(await h.client.beta.threads.retrieve(threadId))!;
    expect(newId).toMatch(/^vs_/);
    expect(newId).not.toBe(expiredId);
    const fresh = await h.client.vectorStores.retrieve(newId);
    expect(fresh.expires_after).toEqual({ anchor: 'last_active_at', days: 7 });
    await h.emulator.vectorStoreFiles.whenIdle();
    expect((await h.client.vectorStores.retrieve(newId)).file_counts).toMatchObject({
      completed: 2,
      total: 2,
    });
    expect(await foundFiles(newId, 'ferry north pier')).toEqual([bus, ferry].sort());
    // The expired store is left as it was.
    expect(await h.client.vectorStores.retrieve(expiredId)).toMatchObject({
      status: 'expired',
      file_counts: { completed: 1, total: 1 },
    });
  });
});

describe("a message's attachment when the thread's expired store holds many files", () => {
  it(`goes into a new store that carries none of them past ${MAX_CARRIED_FILES} files`, async () => {
    h = await createHarness();
    const { threadId, storeId: expiredId } = await threadWithAttachment();
    const others = await Promise.all(
      Array.from({ length: MAX_CARRIED_FILES }, (_, index) => upload(`Timetable ${index}.`, `t${index}.txt`)),
    );
    await h.client.vectorStores.fileBatches.create(expiredId, { file_ids: others });
    await h.emulator.vectorStoreFiles.whenIdle();
    await h.advance(8 * 86_400);

    const bus = await upload('The bus meets the ferry at the north pier.', 'bus.txt');
    await attach(threadId, bus);
    const newId = storeIdOf(await h.client.beta.threads.retrieve(threadId))!;
    expect(newId).not.toBe(expiredId);
    const files = await h.client.vectorStores.files.list(newId);
    expect(files.data.map((file) => file.id)).toEqual([bus]);
  });
});

/**
 * A delete of the thread's store lands between the message's transaction finding the store and locking it (the
 * moment `hook` runs). Only where a delete can run beside an open transaction: a PostgreSQL server. SQLite (and
 * PGlite, one connection) serialize transactions, so a delete waits for the message's to end.
 */
function deleteBeforeLock(store: AssistantsStore, storeId: string, remove: () => Promise<unknown>): void {
  const transaction = store.transaction.bind(store);
  let fired = false;
  const hooked = (tx: StoreTransaction): StoreTransaction => {
    const vectorStores = new Proxy(tx.vectorStores, {
      get(target, name) {
        const value = Reflect.get(target, name) as unknown;
        if (typeof value !== 'function') return value;
        if (name !== 'getForUpdate') return value.bind(target);
        return async (id: string) => {
          if (id === storeId && !fired) {
            fired = true;
            await remove();
          }
          return target.getForUpdate(id);
        };
      },
    });
    return new Proxy(tx, {
      get(target, name) {
        if (name === 'vectorStores') return vectorStores;
        const value = Reflect.get(target, name) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
  store.transaction = (work) => transaction((tx) => work(hooked(tx)));
}

describe.skipIf(testStoreKind() !== 'postgres' || TEST_BACKEND !== 'server')(
  "a message's attachment while the thread's vector store is deleted",
  () => {
    it('goes into a new store for the thread: the message is not refused', async () => {
      h = await createHarness();
      const { threadId, storeId } = await threadWithAttachment();
      const bus = await upload('The bus meets the ferry at the north pier.', 'bus.txt');
      deleteBeforeLock(h.emulator.postgres!, storeId, async () => {
        await h.app.request(`/v1/vector_stores/${storeId}`, { method: 'DELETE' });
      });

      const message = await attach(threadId, bus);
      expect(message.attachments).toEqual([{ file_id: bus, tools: [{ type: 'file_search' }] }]);
      await expect(h.client.vectorStores.retrieve(storeId)).rejects.toMatchObject({ status: 404 });
      const newId = storeIdOf(await h.client.beta.threads.retrieve(threadId))!;
      expect(newId).not.toBe(storeId);
      await h.emulator.vectorStoreFiles.whenIdle();
      expect(await foundFiles(newId, 'bus north pier')).toEqual([bus]);
    });
  },
);
