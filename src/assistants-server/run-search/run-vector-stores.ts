import type { Run } from '../../shared/openai-types';
import type { StoreTables } from '../store/assistants-store';

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
