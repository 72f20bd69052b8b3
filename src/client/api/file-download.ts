import type { DownloadLink } from '../../shared/runboard-types';
import { apiFetch } from './api-fetch';

/**
 * Downloads `path` (a file's content) under `filename` through a plain link, so the browser streams it to disk
 * (nothing of it is held in the tab). A link carries no header, so the server is asked for one first, with the access
 * token: it answers the path itself, or with RUNBOARD_TOKEN a link signed for this file for a minute. The API's error,
 * as for any request, when that is refused.
 */
export async function downloadAs(path: string, filename: string): Promise<void> {
  const { url } = await apiFetch<DownloadLink>('/api/download-links', { method: 'POST', body: { path } });
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
}
