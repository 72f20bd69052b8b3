import { fileSearchResources } from '../../shared/requests/vector-store-requests';
import { badRequest } from '../api-error';
import type { EmulatorClock } from '../emulation/clock/emulator-clock';
import type { StoreTransaction } from '../store/assistants-store';
import { parseRequest } from '../validation/v1-validators';
import { chunkingOf, newVectorStore } from './vector-store-objects';
import type { VectorStoreFiles } from './vector-store-files';

/**
 * The `vector_stores` helper of an assistant's or a thread's `tool_resources.file_search`, as OpenAI had it: the
 * store is created (its files checked, put in and processed like any other) in `tx`, and the object keeps its id in
 * `vector_store_ids` instead. `path` is where the resources sit in the request (`tool_resources`,
 * `thread.tool_resources`). Resources without the helper are answered as they are.
 */
export async function withHelperVectorStores(
  tx: StoreTransaction,
  vectorStoreFiles: VectorStoreFiles,
  clock: EmulatorClock,
  toolResources: Record<string, unknown> | null | undefined,
  path: string,
): Promise<Record<string, unknown> | null | undefined> {
  const raw = toolResources?.file_search;
  if (!toolResources || typeof raw !== 'object' || raw === null || !('vector_stores' in raw))
    return toolResources;
  const where = `${path}.file_search`;
  const { vector_stores: helpers, ...fileSearch } = parseRequest(fileSearchResources, raw, [
    path,
    'file_search',
  ]);
  if (!helpers?.length) return { ...toolResources, file_search: fileSearch };
  if (fileSearch.vector_store_ids?.length) {
    throw badRequest(
      `Invalid '${where}': give 'vector_store_ids' or 'vector_stores', not both (at most one vector store).`,
      where,
      'invalid_value',
    );
  }
  const helper = helpers[0]!;
  const chunking = chunkingOf(helper.chunking_strategy, `${where}.vector_stores[0].chunking_strategy`);
  const files = (helper.file_ids ?? []).map((fileId) => ({ fileId, chunking, attributes: null }));
  const vectorStore = newVectorStore({ metadata: helper.metadata }, clock.nowSeconds());
  await tx.vectorStores.insert(vectorStore);
  await vectorStoreFiles.attach(tx, vectorStore.id, files, {
    param: (index) => `${where}.vector_stores[0].file_ids[${index}]`,
  });
  return { ...toolResources, file_search: { ...fileSearch, vector_store_ids: [vectorStore.id] } };
}
