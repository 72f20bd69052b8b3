import { networkError } from './api-error';
import { refusal, requestHeaders } from './api-fetch';

/**
 * Downloads `path` (a file's content) under `filename`: read with the request's headers (the access token cannot ride
 * on a plain link), then saved from memory. The API's error, as for any request, when it is refused.
 */
export async function downloadAs(path: string, filename: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(path, { headers: requestHeaders(path) });
  } catch (cause) {
    throw networkError(cause);
  }
  if (!response.ok) throw refusal(response, await response.text());
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  // The click has handed the blob to the browser's download; the memory can go once it started.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
