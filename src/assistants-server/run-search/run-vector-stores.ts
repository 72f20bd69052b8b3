import type { Run, UnixSeconds, VectorStore } from '../../shared/openai-types';
import type { StoreTables } from '../store/assistants-store';
import { expiredMessage, isExpired, touched } from '../vector-stores/vector-store-objects';

/**
 * The vector stores a run searches: its thread's `tool_resources.file_search.vector_store_ids`, then its
 * assistant's, each id once (a run has no `tool_resources` of its own, as OpenAI's had none). Read when the run
 * searches, so a store attached to the thread meanwhile counts. A deleted assistant leaves the thread's.
 */
export async function runVectorStoreIds(
  tables: Pick<StoreTables, 'threads' | 'assistants'>,
  run: Pick<Run, 'thread_id' | 'assistant_id'>,
): Promise<string[]> {
  const thread = await tables.threads.get(run.thread_id);
  const assistant = await tables.assistants.get(run.assistant_id);
  return [...new Set([...storeIdsIn(thread?.tool_resources), ...storeIdsIn(assistant?.tool_resources)])];
}

/** `tool_resources.file_search.vector_store_ids`, read defensively (tool_resources is stored as given). */
export function storeIdsIn(resources: Record<string, unknown> | null | undefined): string[] {
  const fileSearch = resources?.file_search;
  if (typeof fileSearch !== 'object' || fileSearch === null) return [];
  const ids = (fileSearch as { vector_store_ids?: unknown }).vector_store_ids;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string' && id !== '') : [];
}

/** The stores a run searches now, or why it fails: one of them has expired. */
export type RunStores = { ok: true; storeIds: string[] } | { ok: false; message: string };

type RunStoreTables = Pick<StoreTables, 'threads' | 'assistants' | 'vectorStores'>;
type RunOfStores = Pick<Run, 'thread_id' | 'assistant_id'>;

/**
 * The run's stores as it searches (`runVectorStoreIds`), made active: `last_active_at` moves to `now`, and with it
 * `expires_at` for `expires_after: {anchor: 'last_active_at'}`, as a store's own search does. A store that has
 * expired is not searched and the run fails, as OpenAI's did ("When a vector store expires, runs on that thread will
 * fail"): the message says which store and what to do. A store deleted meanwhile is skipped. Call it in a
 * transaction: the stores' rows are locked in id order (no two runs wait on each other) and written in it.
 */
export async function openRunStores(
  tables: RunStoreTables,
  run: RunOfStores,
  now: UnixSeconds,
): Promise<RunStores> {
  const found = await liveRunStores(tables, run, now, (id) => tables.vectorStores.getForUpdate(id));
  if (!found.ok) return found;
  for (const vectorStore of found.stores) await tables.vectorStores.update(touched(vectorStore, now));
  return { ok: true, storeIds: found.storeIds };
}

/**
 * The same stores as `openRunStores` would find them now, read without a lock and without a write: what a run
 * searches before its transaction, which then opens them (and fails the run on one that expired meanwhile).
 */
export async function peekRunStores(
  tables: RunStoreTables,
  run: RunOfStores,
  now: UnixSeconds,
): Promise<RunStores> {
  const found = await liveRunStores(tables, run, now, (id) => tables.vectorStores.get(id));
  return found.ok ? { ok: true, storeIds: found.storeIds } : found;
}

/** The run's stores that exist, read in id order by `read`; or the first that has expired. */
async function liveRunStores(
  tables: RunStoreTables,
  run: RunOfStores,
  now: UnixSeconds,
  read: (id: string) => Promise<VectorStore | null>,
): Promise<{ ok: true; storeIds: string[]; stores: VectorStore[] } | { ok: false; message: string }> {
  const ids = await runVectorStoreIds(tables, run);
  const found = new Map<string, VectorStore>();
  for (const id of [...ids].sort()) {
    const vectorStore = await read(id);
    if (!vectorStore) continue;
    if (isExpired(vectorStore, now)) return { ok: false, message: expiredRunMessage(id) };
    found.set(id, vectorStore);
  }
  return { ok: true, storeIds: ids.filter((id) => found.has(id)), stores: [...found.values()] };
}

/** A run's `last_error.message` when one of its stores has expired. */
export function expiredRunMessage(vectorStoreId: string): string {
  return `${expiredMessage(vectorStoreId)} Create a new vector store with the same files and attach it to the thread or the assistant.`;
}
