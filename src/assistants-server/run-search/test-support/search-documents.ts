import type { FileSearch } from '../../file-search/file-search';

/** A file as the tests index it: straight into a vector store through the engine (no Files API needed). */
export interface TestDocument {
  fileId: string;
  filename: string;
  text: string;
}

/** Three files with one subject each, so a question finds one of them first. */
export const POLICY_DOCUMENTS = {
  refunds: {
    fileId: 'file-refunds00000000000000000',
    filename: 'refunds.md',
    text: '# Refund policy\n\nCustomers may return any item within 30 days of delivery for a full refund. Opened software cannot be refunded; it can be exchanged for the same title.',
  },
  shipping: {
    fileId: 'file-shipping0000000000000000',
    filename: 'shipping.md',
    text: '# Shipping\n\nOrders leave the warehouse within two business days. Express delivery to Norway takes four days; standard delivery takes ten.',
  },
  security: {
    fileId: 'file-security0000000000000000',
    filename: 'security.md',
    text: '# Security\n\nPasswords rotate every 90 days. The vault is audited twice a year by Kestrel Labs, and access keys never leave the vault.',
  },
} satisfies Record<string, TestDocument>;

/** Indexes the documents into the vector store; throws if one does not complete. */
export async function indexDocuments(
  fileSearch: FileSearch,
  vectorStoreId: string,
  documents: readonly TestDocument[],
): Promise<void> {
  for (const document of documents) {
    const outcome = await fileSearch.index({
      vectorStoreId,
      fileId: document.fileId,
      filename: document.filename,
      bytes: new TextEncoder().encode(document.text),
    });
    if (outcome.status !== 'completed')
      throw new Error(`${document.filename} was not indexed: ${JSON.stringify(outcome)}`);
  }
}
