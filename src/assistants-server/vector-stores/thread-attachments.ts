import type { MessageAttachment, Thread, UnixSeconds, VectorStore } from '../../shared/openai-types';
import type { EmulatorClock } from '../emulation/clock/emulator-clock';
import { AUTO_CHUNKING } from '../file-search/chunking';
import type { StoreTransaction } from '../store/assistants-store';
import { isExpired, newVectorStore } from './vector-store-objects';
import { filesOf, type FileToAttach, type VectorStoreFiles } from './vector-store-files';

/** A vector store made for a thread's attachments expires after 7 days unused, as OpenAI's did. */
export const THREAD_STORE_EXPIRY = { anchor: 'last_active_at', days: 7 } as const;
/**
 * An expired thread store's files are carried into its new store, in the message's transaction, only up to so many:
 * a larger store (a thread store filled by batches) would hold the thread and its files locked for thousands of
 * statements; its new store then starts with the new attachments alone.
 */
export const MAX_CARRIED_FILES = 100;

/**
 * Puts a new message's attachments where OpenAI put them, inside the transaction that adds the message; answers
 * the thread as it is now. `path` names the attachments in a refusal (`attachments`, `messages[0].attachments`).
 */
export type AttachToThread = (
  tx: StoreTransaction,
  thread: Thread,
  attachments: readonly MessageAttachment[],
  path: string,
) => Promise<Thread>;

interface FileSearchResources {
  vector_store_ids?: string[];
}
interface CodeInterpreterResources {
  file_ids?: string[];
}

/**
 * Attachments for `file_search` go into the thread's vector store (the first of its
 * `tool_resources.file_search.vector_store_ids`), created when it has none (see `threadStore`); the file is processed
 * like any added to a store. Attachments for `code_interpreter` are listed in `tool_resources.code_interpreter.file_ids`, as
 * OpenAI did (runs that would use the tool are refused: see the README). A file already in the store is not
 * processed again.
 */
export function threadAttachments(vectorStoreFiles: VectorStoreFiles, clock: EmulatorClock): AttachToThread {
  return async (tx, thread, attachments, path) => {
    if (attachments.length === 0) return thread;
    const forTool = (type: 'file_search' | 'code_interpreter') => [
      ...new Set(
        attachments
          .filter((item) => item.tools.some((tool) => tool.type === type))
          .map((item) => item.file_id),
      ),
    ];
    for (const [index, item] of attachments.entries()) {
      const forSearch = item.tools.some((tool) => tool.type === 'file_search');
      await vectorStoreFiles.checkFile(tx, item.file_id, `${path}[${index}].file_id`, forSearch);
    }
    const resources = { ...thread.tool_resources };
    const codeFiles = forTool('code_interpreter');
    if (codeFiles.length > 0) {
      const code = (resources.code_interpreter ?? {}) as CodeInterpreterResources;
      resources.code_interpreter = {
        ...code,
        file_ids: [...new Set([...(code.file_ids ?? []), ...codeFiles])],
      };
    }
    const searchFiles = forTool('file_search');
    if (searchFiles.length > 0) {
      const search = (resources.file_search ?? {}) as FileSearchResources;
      const { vectorStore, carried } = await threadStore(
        tx,
        search.vector_store_ids?.[0],
        clock.nowSeconds(),
      );
      if (vectorStore.id !== search.vector_store_ids?.[0])
        resources.file_search = { ...search, vector_store_ids: [vectorStore.id] };
      const fresh: FileToAttach[] = [...carried];
      for (const fileId of searchFiles) {
        if (carried.some((file) => file.fileId === fileId)) continue;
        if (!(await tx.vectorStoreFiles.get(vectorStore.id, fileId)))
          fresh.push({ fileId, chunking: AUTO_CHUNKING, attributes: null });
      }
      await vectorStoreFiles.attach(
        tx,
        vectorStore.id,
        fresh,
        { param: () => path }, // checked above, each where it was given
      );
    }
    if (JSON.stringify(resources) === JSON.stringify(thread.tool_resources ?? {})) return thread;
    const updated: Thread = { ...thread, tool_resources: resources };
    await tx.threads.update(updated);
    return updated;
  };
}

/**
 * The store a thread's new attachments go into, its row locked until `tx` ends: a delete of it waits for the message
 * to commit (and then removes its files too), or went first and it is gone. The thread's own, unless it has none, it
 * was deleted (before, or meanwhile: a race with a delete never fails the message), or it has expired; then a new one,
 * with OpenAI's 7-day expiry. A new store for an expired one takes its files (all but those cancelled, with their
 * chunking and attributes, processed again): OpenAI's remedy for an expired thread store, "recreate a new
 * vector_store with the same files and reattach it to the thread", done for the user, up to `MAX_CARRIED_FILES`. The
 * expired store stays as it is. `carried` are those files, still there (kept from being deleted until `tx` ends).
 */
async function threadStore(
  tx: StoreTransaction,
  existingId: string | undefined,
  now: UnixSeconds,
): Promise<{ vectorStore: VectorStore; carried: FileToAttach[] }> {
  const existing = existingId ? await tx.vectorStores.getForUpdate(existingId) : null;
  if (existing && !isExpired(existing, now)) return { vectorStore: existing, carried: [] };
  const vectorStore = newVectorStore({ expires_after: THREAD_STORE_EXPIRY }, now);
  await tx.vectorStores.insert(vectorStore);
  const carried: FileToAttach[] = [];
  if (!existing || existing.file_counts.total > MAX_CARRIED_FILES) return { vectorStore, carried };
  for await (const file of filesOf(tx, existing.id)) {
    if (file.status === 'cancelled' || !(await tx.files.getForShare(file.id))) continue;
    // The counts are the store's as of its last recount: the files read are bounded here too.
    if (carried.length === MAX_CARRIED_FILES) return { vectorStore, carried: [] };
    carried.push({ fileId: file.id, chunking: file.chunking_strategy, attributes: file.attributes });
  }
  return { vectorStore, carried };
}
