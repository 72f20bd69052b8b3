import type {
  UnixSeconds,
  VectorStore,
  VectorStoreExpirationAfter,
  VectorStoreFile,
  VectorStoreFileBatch,
  VectorStoreFileCounts,
} from '../../shared/openai-types';
import type { ChunkingStrategyRequest } from '../../shared/requests/vector-store-requests';
import { AUTO_CHUNKING, checkStaticChunking, type StaticChunking } from '../file-search/chunking';
import { excerpt } from '../../platform/request-input';
import { notFound, type EmulatorApiError } from '../api-error';
import { newId } from '../ids';
import type { FileCountsAndUsage, StoreTables } from '../store/assistants-store';

const DAY_SECONDS = 86_400;

export const NO_FILES: VectorStoreFileCounts = {
  in_progress: 0,
  completed: 0,
  failed: 0,
  cancelled: 0,
  total: 0,
};

/** A new vector store, empty (its files are added after, each counted as it is put in). */
export function newVectorStore(
  request: {
    name?: string | null;
    expires_after?: VectorStoreExpirationAfter | null;
    metadata?: Record<string, string> | null;
  },
  now: UnixSeconds,
): VectorStore {
  return withExpiry(
    {
      id: newId('vs'),
      object: 'vector_store',
      created_at: now,
      name: request.name ?? '',
      usage_bytes: 0,
      file_counts: { ...NO_FILES },
      status: 'completed',
      expires_at: null,
      last_active_at: now,
      metadata: request.metadata ?? {},
    },
    request.expires_after ?? null,
  );
}

/** The store with `expires_after` set (or removed, given null) and `expires_at` counted from `last_active_at`. */
export function withExpiry(
  vectorStore: VectorStore,
  expiresAfter: VectorStoreExpirationAfter | null,
): VectorStore {
  const { expires_after: _dropped, ...rest } = vectorStore;
  if (!expiresAfter) return { ...rest, expires_at: null };
  const anchor = vectorStore.last_active_at ?? vectorStore.created_at;
  return { ...rest, expires_after: expiresAfter, expires_at: anchor + expiresAfter.days * DAY_SECONDS };
}

/** Used now (a search, a run): `last_active_at` moves, and with it `expires_at`. */
export function touched(vectorStore: VectorStore, now: UnixSeconds): VectorStore {
  return withExpiry({ ...vectorStore, last_active_at: now }, vectorStore.expires_after ?? null);
}

export function isExpired(vectorStore: VectorStore, now: UnixSeconds): boolean {
  return vectorStore.expires_at !== null && vectorStore.expires_at <= now;
}

/** Why an expired store is not searched (its own search refuses with it; a run that would search it fails with it). */
export function expiredMessage(vectorStoreId: string): string {
  return `Vector store '${excerpt(vectorStoreId)}' has expired: an expired vector store cannot be searched.`;
}

/** OpenAI's 404 for an unknown vector store. */
export function noSuchVectorStore(vectorStoreId: string): EmulatorApiError {
  return notFound(`No vector store found with id '${excerpt(vectorStoreId)}'.`);
}

/** The store, its row locked until the transaction ends (see `VectorStoreTable.getForUpdate`); 404 when none. */
export async function findVectorStoreForUpdate(
  tables: Pick<StoreTables, 'vectorStores'>,
  vectorStoreId: string,
): Promise<VectorStore> {
  const vectorStore = await tables.vectorStores.getForUpdate(vectorStoreId);
  if (!vectorStore) throw noSuchVectorStore(vectorStoreId);
  return vectorStore;
}

/** The store as answered now: `expired` once `expires_at` has passed, whatever its files' state. */
export function presentVectorStore(vectorStore: VectorStore, now: UnixSeconds): VectorStore {
  return isExpired(vectorStore, now) ? { ...vectorStore, status: 'expired' } : vectorStore;
}

/** `file_counts`, `usage_bytes` and `status` from its files' counts. */
export function withCounts(vectorStore: VectorStore, counts: FileCountsAndUsage): VectorStore {
  const { usage_bytes, ...fileCounts } = counts;
  return {
    ...vectorStore,
    usage_bytes,
    file_counts: fileCounts,
    status: fileCounts.in_progress > 0 ? 'in_progress' : 'completed',
  };
}

/** A batch's counts and status: `in_progress` while any of its files is, then `completed` (or `cancelled`). */
export function batchWithCounts(
  batch: VectorStoreFileBatch,
  counts: FileCountsAndUsage,
): VectorStoreFileBatch {
  const { usage_bytes: _usage, ...fileCounts } = counts;
  const status =
    batch.status === 'cancelled' ? 'cancelled' : fileCounts.in_progress > 0 ? 'in_progress' : 'completed';
  return { ...batch, file_counts: fileCounts, status };
}

export function newFileBatch(vectorStoreId: string, files: number, now: UnixSeconds): VectorStoreFileBatch {
  return {
    id: newId('vsfb'),
    object: 'vector_store.files_batch',
    created_at: now,
    vector_store_id: vectorStoreId,
    status: 'in_progress',
    file_counts: { ...NO_FILES, in_progress: files, total: files },
  };
}

/** A file put in a store, waiting to be processed. */
export function newVectorStoreFile(
  vectorStoreId: string,
  file: { fileId: string; chunking: StaticChunking; attributes: VectorStoreFile['attributes'] },
  now: UnixSeconds,
): VectorStoreFile {
  return {
    id: file.fileId,
    object: 'vector_store.file',
    usage_bytes: 0,
    created_at: now,
    vector_store_id: vectorStoreId,
    status: 'in_progress',
    last_error: null,
    chunking_strategy: file.chunking,
    attributes: file.attributes,
  };
}

/**
 * A request's `chunking_strategy` as a vector store file keeps it: `auto` (or none) is OpenAI's static 800/400, a
 * static one is checked against OpenAI's bounds (`path` names it in a refusal).
 */
export function chunkingOf(
  request: ChunkingStrategyRequest | null | undefined,
  path = 'chunking_strategy',
): StaticChunking {
  if (!request || request.type === 'auto') return AUTO_CHUNKING;
  return checkStaticChunking({ type: 'static', static: { ...request.static } }, path);
}
