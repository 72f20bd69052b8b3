import { useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  DeletedObject,
  ListResponse,
  FilePurpose,
  OpenAIFile,
  VectorStore,
  VectorStoreFile,
} from '../../../shared/openai-types';
import { apiFetch } from '../../api/api-fetch';
import { fileKeys } from '../../api/file-queries';
import { vectorStoreKeys, vectorStorePath } from '../../api/vector-store-queries';

/** An upload may be large (up to 512 MB): it is given this long, not the 10 s of a read. */
const UPLOAD_TIMEOUT_MS = 30 * 60_000;

function uploadFile(file: File, purpose: FilePurpose): Promise<OpenAIFile> {
  const form = new FormData();
  form.set('purpose', purpose);
  form.set('file', file, file.name);
  return apiFetch<OpenAIFile>('/v1/files', { method: 'POST', body: form, timeoutMs: UPLOAD_TIMEOUT_MS });
}

/** `POST /v1/files`: the new file is on the first page, so the pages are read again. */
export function useUploadFile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, purpose }: { file: File; purpose: FilePurpose }) => uploadFile(file, purpose),
    onSuccess: (uploaded) => {
      queryClient.setQueryData(fileKeys.detail(uploaded.id), uploaded);
      void queryClient.invalidateQueries({ queryKey: fileKeys.pages() });
    },
  });
}

/** `DELETE /v1/files/{id}`: gone from the pages and from every vector store that held it. */
export function useDeleteFile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: OpenAIFile) =>
      apiFetch<DeletedObject<'file'>>(`/v1/files/${encodeURIComponent(file.id)}`, { method: 'DELETE' }),
    onSuccess: (_deleted, file) => {
      queryClient.removeQueries({ queryKey: fileKeys.detail(file.id) });
      void queryClient.invalidateQueries({ queryKey: fileKeys.pages() });
      void queryClient.invalidateQueries({ queryKey: vectorStoreKeys.all });
    },
  });
}

/** `POST /v1/vector_stores` with a name. */
export function useCreateVectorStore() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) =>
      apiFetch<VectorStore>('/v1/vector_stores', { method: 'POST', body: { name } }),
    onSuccess: (store) => {
      queryClient.setQueryData(vectorStoreKeys.detail(store.id), store);
      // On top of the first page at once (newest first), as the page read again will have it.
      queryClient.setQueryData<ListResponse<VectorStore>>(vectorStoreKeys.page(null), (page) =>
        page && !page.data.some((known) => known.id === store.id)
          ? { ...page, data: [store, ...page.data], first_id: store.id, last_id: page.last_id ?? store.id }
          : page,
      );
      void queryClient.invalidateQueries({ queryKey: vectorStoreKeys.pages() });
    },
  });
}

/** `DELETE /v1/vector_stores/{id}` (its files stay in Files). */
export function useDeleteVectorStore() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (store: VectorStore) =>
      apiFetch<DeletedObject<'vector_store.deleted'>>(vectorStorePath(store.id), { method: 'DELETE' }),
    onSuccess: (_deleted, store) => {
      queryClient.removeQueries({ queryKey: vectorStoreKeys.store(store.id) });
      void queryClient.invalidateQueries({ queryKey: vectorStoreKeys.pages() });
    },
  });
}

/**
 * A file from this computer into a vector store: uploaded to Files (`assistants`), then added to the store, where it
 * is processed (in progress, then completed or failed): the store and its files are read again, and poll while so.
 */
export function useUploadToVectorStore(storeId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (file: File) => {
      const uploaded = await uploadFile(file, 'assistants');
      queryClient.setQueryData(fileKeys.detail(uploaded.id), uploaded);
      void queryClient.invalidateQueries({ queryKey: fileKeys.pages() });
      return apiFetch<VectorStoreFile>(`${vectorStorePath(storeId)}/files`, {
        method: 'POST',
        body: { file_id: uploaded.id },
      });
    },
    onSettled: () => invalidateStore(queryClient, storeId),
  });
}

/** `DELETE /v1/vector_stores/{id}/files/{file}`: out of the store, still in Files. */
export function useRemoveFromVectorStore(storeId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (fileId: string) =>
      apiFetch<DeletedObject<'vector_store.file.deleted'>>(
        `${vectorStorePath(storeId)}/files/${encodeURIComponent(fileId)}`,
        { method: 'DELETE' },
      ),
    onSuccess: () => invalidateStore(queryClient, storeId),
  });
}

function invalidateStore(queryClient: ReturnType<typeof useQueryClient>, storeId: string) {
  void queryClient.invalidateQueries({ queryKey: vectorStoreKeys.store(storeId) });
  void queryClient.invalidateQueries({ queryKey: vectorStoreKeys.pages() });
}
