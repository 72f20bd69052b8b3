import type { AssistantStreamEvent } from '../../shared/openai-types';

const encoder = new TextEncoder();

/** One server-sent event: the `event:` line OpenAI's SDK dispatches on, then the JSON `data:` line. */
export function sseFrame(event: AssistantStreamEvent): Uint8Array {
  const data = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
  return encoder.encode(`event: ${event.event}\ndata: ${data}\n\n`);
}

export const DONE_EVENT: AssistantStreamEvent = { event: 'done', data: '[DONE]' };

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
} as const;
