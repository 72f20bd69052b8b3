import { toFile } from 'openai';
import type { Harness } from '../../test-support/emulator-harness';

/** A file as the tests put it in a vector store. */
export interface TestDocument {
  filename: string;
  text: string;
}

/** Three files with one subject each, so a question finds one of them first. */
export const POLICY_DOCUMENTS = {
  refunds: {
    filename: 'refunds.md',
    text: '# Refund policy\n\nCustomers may return any item within 30 days of delivery for a full refund. Opened software cannot be refunded; it can be exchanged for the same title.',
  },
  shipping: {
    filename: 'shipping.md',
    text: '# Shipping\n\nOrders leave the warehouse within two business days. Express delivery to Norway takes four days; standard delivery takes ten.',
  },
  security: {
    filename: 'security.md',
    text: '# Security\n\nPasswords rotate every 90 days. The vault is audited twice a year by Kestrel Labs, and access keys never leave the vault.',
  },
} satisfies Record<string, TestDocument>;

/** The ids the test's server gave: each document's file by its file name, each store by the name the test gave it. */
const fileIds = new Map<string, string>();
const storeIds = new Map<string, string>();

/**
 * Uploads the documents and puts them in a new vector store named `storeName`, through the API (a run finds only
 * files `completed` in a store, as the store's own search does); waits until they are processed, and throws if one
 * did not complete. Answers the store's id (`storeIdOf(storeName)` too).
 */
export async function indexDocuments(
  h: Pick<Harness, 'client' | 'emulator'>,
  storeName: string,
  documents: readonly TestDocument[],
): Promise<string> {
  const created = await h.client.vectorStores.create({ name: storeName });
  storeIds.set(storeName, created.id);
  await addDocuments(h, storeName, documents);
  return created.id;
}

/** Uploads the documents into the store `indexDocuments` made under this name, processed (throws if one failed). */
export async function addDocuments(
  h: Pick<Harness, 'client' | 'emulator'>,
  storeName: string,
  documents: readonly TestDocument[],
): Promise<void> {
  const vectorStoreId = storeIdOf(storeName);
  for (const document of documents) {
    const file = await h.client.files.create({
      file: await toFile(Buffer.from(document.text), document.filename),
      purpose: 'assistants',
    });
    fileIds.set(document.filename, file.id);
    await h.client.vectorStores.files.create(vectorStoreId, { file_id: file.id });
  }
  await h.emulator.vectorStoreFiles.whenIdle();
  const { file_counts: counts } = await h.client.vectorStores.retrieve(vectorStoreId);
  if (counts.completed !== counts.total)
    throw new Error(`${storeName} was not indexed: ${JSON.stringify(counts)}`);
}

/** The file id the document got from the last `indexDocuments` that uploaded it. */
export function fileIdOf(document: TestDocument): string {
  const id = fileIds.get(document.filename);
  if (!id) throw new Error(`${document.filename} was not uploaded`);
  return id;
}

/** The id of the store `indexDocuments` made under this name (a name it did not make stays as it is). */
export function storeIdOf(name: string): string {
  return storeIds.get(name) ?? name;
}
