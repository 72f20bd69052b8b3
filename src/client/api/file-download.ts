import type { OpenAIFile } from '../../shared/openai-types';
import type { DownloadLink } from '../../shared/runboard-types';
import { apiFetch } from './api-fetch';
import { fileContentPath, filePath } from './file-queries';

/**
 * Downloads a file's content under `filename` through a plain link, so the browser streams it to disk (nothing of it
 * is held in the tab). A link carries no header, so the server is asked for one first, with the access token: it
 * answers the content path itself, or with RUNBOARD_TOKEN that path signed for this file for a minute. The file's
 * record is read beside it, so that a file deleted elsewhere is refused here, with the API's error, rather than as a
 * failed download in the browser's bar.
 */
export async function downloadFile(fileId: string, filename: string): Promise<void> {
  const [{ url }] = await Promise.all([
    apiFetch<DownloadLink>('/api/download-links', {
      method: 'POST',
      body: { path: fileContentPath(fileId) },
    }),
    apiFetch<OpenAIFile>(filePath(fileId)),
  ]);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
}
