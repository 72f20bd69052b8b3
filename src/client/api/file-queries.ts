import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { FilePurpose, ListResponse, OpenAIFile } from '../../shared/openai-types';
import { IDLE_POLL_MS, documentHidden } from '../lib/polling-policy';
import { apiFetch } from './api-fetch';

/** A page of `GET /v1/files`: newest first, after the cursor, of one purpose or all. */
export interface FilePageQuery {
  purpose: FilePurpose | null;
  /** The last file of the page before (OpenAI's `after` cursor); null for the first page. */
  after: string | null;
}

/** Files per page of the files list. */
export const FILES_PAGE_SIZE = 50;

export const fileKeys = {
  all: ['files'] as const,
  pages: () => [...fileKeys.all, 'page'] as const,
  page: (query: FilePageQuery) => [...fileKeys.pages(), query] as const,
  detail: (fileId: string) => [...fileKeys.all, 'detail', fileId] as const,
};

export const filePath = (fileId: string) => `/v1/files/${encodeURIComponent(fileId)}`;

export const fileQueries = {
  /**
   * One page of files. A file does not change once stored, but others (an SDK) upload and delete: the page is read
   * again slowly while the tab is shown. The previous page stays on screen while the next is read.
   */
  page: (query: FilePageQuery) =>
    queryOptions({
      queryKey: fileKeys.page(query),
      queryFn: ({ signal }) =>
        apiFetch<ListResponse<OpenAIFile>>('/v1/files', {
          query: {
            limit: FILES_PAGE_SIZE,
            order: 'desc',
            after: query.after ?? undefined,
            purpose: query.purpose ?? undefined,
          },
          signal,
        }),
      placeholderData: keepPreviousData,
      refetchInterval: () => (documentHidden() ? false : IDLE_POLL_MS),
    }),
  /** One file (its name for a citation or a vector store's file). Never changes; deleting it removes the entry. */
  detail: (fileId: string) =>
    queryOptions({
      queryKey: fileKeys.detail(fileId),
      queryFn: ({ signal }) => apiFetch<OpenAIFile>(filePath(fileId), { signal }),
      staleTime: Infinity,
    }),
};

/** `GET /v1/files/{id}/content`, the exact bytes. */
export const fileContentPath = (fileId: string) => `${filePath(fileId)}/content`;
