import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { ListResponse, VectorStore, VectorStoreFile } from '../../shared/openai-types';
import { ACTIVE_POLL_MS, IDLE_POLL_MS, documentHidden } from '../lib/polling-policy';
import { apiFetch } from './api-fetch';

/** Vector stores per page, and files per page of one store. */
export const VECTOR_STORES_PAGE_SIZE = 20;
export const VECTOR_STORE_FILES_PAGE_SIZE = 50;

export const vectorStoreKeys = {
  all: ['vector-stores'] as const,
  pages: () => [...vectorStoreKeys.all, 'page'] as const,
  page: (after: string | null) => [...vectorStoreKeys.pages(), after] as const,
  store: (storeId: string) => [...vectorStoreKeys.all, 'store', storeId] as const,
  detail: (storeId: string) => [...vectorStoreKeys.store(storeId), 'detail'] as const,
  files: (storeId: string, after: string | null) =>
    [...vectorStoreKeys.store(storeId), 'files', after] as const,
};

const storePath = (storeId: string) => `/v1/vector_stores/${encodeURIComponent(storeId)}`;

/** A store is still processing while it or any of its files is in progress. */
export const storeInProgress = (store: VectorStore) =>
  store.status === 'in_progress' || store.file_counts.in_progress > 0;

/**
 * About once a second while something shown is still being processed (its status can move by itself), slowly
 * otherwise (only a change made elsewhere can come), never while the tab is hidden.
 */
function pollWhile(processing: boolean): number | false {
  if (documentHidden()) return false;
  return processing ? ACTIVE_POLL_MS : IDLE_POLL_MS;
}

export const vectorStoreQueries = {
  /** One page of `GET /v1/vector_stores`, newest first. */
  page: (after: string | null) =>
    queryOptions({
      queryKey: vectorStoreKeys.page(after),
      queryFn: ({ signal }) =>
        apiFetch<ListResponse<VectorStore>>('/v1/vector_stores', {
          query: { limit: VECTOR_STORES_PAGE_SIZE, order: 'desc', after: after ?? undefined },
          signal,
        }),
      placeholderData: keepPreviousData,
      refetchInterval: (query) => pollWhile(query.state.data?.data.some(storeInProgress) ?? false),
    }),
  /** `GET /v1/vector_stores/{id}`: its counts move while its files are processed. */
  detail: (storeId: string) =>
    queryOptions({
      queryKey: vectorStoreKeys.detail(storeId),
      queryFn: ({ signal }) => apiFetch<VectorStore>(storePath(storeId), { signal }),
      refetchInterval: (query) => pollWhile(query.state.data ? storeInProgress(query.state.data) : false),
    }),
  /** One page of a store's files, newest first: each file's processing status and error. */
  files: (storeId: string, after: string | null) =>
    queryOptions({
      queryKey: vectorStoreKeys.files(storeId, after),
      queryFn: ({ signal }) =>
        apiFetch<ListResponse<VectorStoreFile>>(`${storePath(storeId)}/files`, {
          query: { limit: VECTOR_STORE_FILES_PAGE_SIZE, order: 'desc', after: after ?? undefined },
          signal,
        }),
      placeholderData: keepPreviousData,
      refetchInterval: (query) =>
        pollWhile(query.state.data?.data.some((file) => file.status === 'in_progress') ?? false),
    }),
};

export const vectorStorePath = storePath;
