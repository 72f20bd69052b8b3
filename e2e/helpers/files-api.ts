import type { APIRequestContext } from '@playwright/test';
import { expect } from '@playwright/test';
import type { FilePurpose, OpenAIFile, VectorStore, VectorStoreFile } from '../../src/shared/openai-types';
import { apiRequest } from './api-request';

/** Files and vector stores through the real server's /v1, as a user's code makes them. */
export function filesApi(request: APIRequestContext) {
  const { post, get } = apiRequest(request);
  return {
    /** `POST /v1/files` (multipart), as the SDK's `files.create`. */
    async upload(name: string, text: string, purpose: FilePurpose = 'assistants'): Promise<OpenAIFile> {
      const response = await request.post('/v1/files', {
        multipart: { purpose, file: { name, mimeType: 'text/markdown', buffer: Buffer.from(text) } },
      });
      expect(response.ok(), `upload answered ${response.status()}: ${await response.text()}`).toBe(true);
      return (await response.json()) as OpenAIFile;
    },
    /** The status code of `GET /v1/files/{id}` (404 once deleted). */
    fileStatus: async (fileId: string) => (await request.get(`/v1/files/${fileId}`)).status(),
    createVectorStore: (name: string, fileIds: string[] = []) =>
      post<VectorStore>('/v1/vector_stores', { name, file_ids: fileIds }),
    getVectorStore: (storeId: string) => get<VectorStore>(`/v1/vector_stores/${storeId}`),
    getVectorStoreFile: (storeId: string, fileId: string) =>
      get<VectorStoreFile>(`/v1/vector_stores/${storeId}/files/${fileId}`),
  };
}
