import type { AssistantStreamEvent } from '../../shared/openai-types';

const encoder = new TextEncoder();

/** One server-sent event: the `event:` line OpenAI's SDK dispatches on, then the JSON `data:` line. */
export function sseFrame(event: AssistantStreamEvent): Uint8Array {
  const data = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
  return encoder.encode(`event: ${event.event}\ndata: ${data}\n\n`);
}

/**
 * A comment line: SSE readers (OpenAI's SDKs included) skip it, but it keeps proxies and load balancers, which close
 * a connection silent for 60 s or so, from cutting a stream while the run waits on a slow model.
 */
export const KEEP_ALIVE_FRAME = encoder.encode(': keep-alive\n\n');

/** How long a run's stream may stay silent before a keep-alive comment is sent. */
export const KEEP_ALIVE_MS = 15_000;

export const DONE_EVENT: AssistantStreamEvent = { event: 'done', data: '[DONE]' };

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
} as const;
