/**
 * The only method + path templates the proxy forwards: the Assistants v2 object routes Runboard serves (what the
 * dashboard uses, and the modify / delete surface), files and vector stores. Everything else is answered locally and
 * never reaches the upstream.
 */

export type ForwardedMethod = 'GET' | 'POST' | 'DELETE';

interface RouteTemplate {
  method: ForwardedMethod;
  /** Segments relative to the API root; `{name}` marks an id. */
  template: string;
  /** `upload`: a multipart file streamed upstream as it arrives (not held, not under the 1 MiB bound). */
  body?: 'upload';
  /** `bytes`: a file's content streamed back as it arrives (not JSON, not read whole). */
  answer?: 'bytes';
}

const ROUTES: RouteTemplate[] = [
  { method: 'GET', template: 'assistants' },
  { method: 'POST', template: 'assistants' },
  { method: 'GET', template: 'assistants/{assistant_id}' },
  { method: 'POST', template: 'assistants/{assistant_id}' },
  { method: 'DELETE', template: 'assistants/{assistant_id}' },
  { method: 'POST', template: 'threads' },
  { method: 'POST', template: 'threads/runs' },
  { method: 'GET', template: 'threads/{thread_id}' },
  { method: 'POST', template: 'threads/{thread_id}' },
  { method: 'DELETE', template: 'threads/{thread_id}' },
  { method: 'GET', template: 'threads/{thread_id}/messages' },
  { method: 'POST', template: 'threads/{thread_id}/messages' },
  { method: 'GET', template: 'threads/{thread_id}/messages/{message_id}' },
  { method: 'POST', template: 'threads/{thread_id}/messages/{message_id}' },
  { method: 'DELETE', template: 'threads/{thread_id}/messages/{message_id}' },
  { method: 'GET', template: 'threads/{thread_id}/runs' },
  { method: 'POST', template: 'threads/{thread_id}/runs' },
  { method: 'GET', template: 'threads/{thread_id}/runs/{run_id}' },
  { method: 'POST', template: 'threads/{thread_id}/runs/{run_id}' },
  { method: 'POST', template: 'threads/{thread_id}/runs/{run_id}/cancel' },
  { method: 'POST', template: 'threads/{thread_id}/runs/{run_id}/submit_tool_outputs' },
  { method: 'GET', template: 'threads/{thread_id}/runs/{run_id}/steps' },
  { method: 'GET', template: 'threads/{thread_id}/runs/{run_id}/steps/{step_id}' },
  { method: 'GET', template: 'files' },
  { method: 'POST', template: 'files', body: 'upload' },
  { method: 'GET', template: 'files/{file_id}' },
  { method: 'DELETE', template: 'files/{file_id}' },
  { method: 'GET', template: 'files/{file_id}/content', answer: 'bytes' },
  { method: 'GET', template: 'vector_stores' },
  { method: 'POST', template: 'vector_stores' },
  { method: 'GET', template: 'vector_stores/{vector_store_id}' },
  { method: 'POST', template: 'vector_stores/{vector_store_id}' },
  { method: 'DELETE', template: 'vector_stores/{vector_store_id}' },
  { method: 'POST', template: 'vector_stores/{vector_store_id}/search' },
  { method: 'GET', template: 'vector_stores/{vector_store_id}/files' },
  { method: 'POST', template: 'vector_stores/{vector_store_id}/files' },
  { method: 'GET', template: 'vector_stores/{vector_store_id}/files/{file_id}' },
  { method: 'POST', template: 'vector_stores/{vector_store_id}/files/{file_id}' },
  { method: 'DELETE', template: 'vector_stores/{vector_store_id}/files/{file_id}' },
  { method: 'GET', template: 'vector_stores/{vector_store_id}/files/{file_id}/content' },
  { method: 'POST', template: 'vector_stores/{vector_store_id}/file_batches' },
  { method: 'GET', template: 'vector_stores/{vector_store_id}/file_batches/{batch_id}' },
  { method: 'POST', template: 'vector_stores/{vector_store_id}/file_batches/{batch_id}/cancel' },
  { method: 'GET', template: 'vector_stores/{vector_store_id}/file_batches/{batch_id}/files' },
];

/** Query parameters forwarded on list and create calls (`purpose` and `filter` on file lists); any other is dropped. */
export const FORWARDED_QUERY_PARAMS = [
  'limit',
  'order',
  'after',
  'before',
  'include[]',
  'purpose',
  'filter',
] as const;

/**
 * Ids are compared against this on the raw, still percent-encoded path, so encoded slashes, dots, CRLF, backslashes
 * and empty segments can never pass.
 */
const SAFE_ID = /^[A-Za-z0-9_-]+$/;

export type RouteMatch =
  | {
      kind: 'forward';
      method: ForwardedMethod;
      template: string;
      upstreamPath: string;
      isRunsRoute: boolean;
      streamedUpload: boolean;
      streamedBytes: boolean;
    }
  /** The path is one the proxy forwards, the method is not. */
  | { kind: 'method-not-forwarded'; template: string }
  | { kind: 'unknown' };

/** `rawPath` is relative to the API root (no `/v1`), still percent-encoded, without its query string. */
export function matchForwardedRoute(method: string, rawPath: string): RouteMatch {
  const segments = rawPath.replace(/^\//, '').split('/');
  const matching = ROUTES.filter((route) => matchesTemplate(route.template, segments));
  if (matching.length === 0) return { kind: 'unknown' };
  // The most literal templates win: `threads/runs` is create-thread-and-run, never a thread whose id is "runs".
  const fewestIds = Math.min(...matching.map(idCount));
  const candidates = matching.filter((route) => idCount(route) === fewestIds);
  const route = candidates.find((candidate) => candidate.method === method);
  if (!route) return { kind: 'method-not-forwarded', template: candidates[0]!.template };
  return {
    kind: 'forward',
    method: route.method,
    template: route.template,
    upstreamPath: segments.join('/'),
    isRunsRoute: route.template.includes('runs'),
    streamedUpload: route.body === 'upload',
    streamedBytes: route.answer === 'bytes',
  };
}

function idCount(route: RouteTemplate): number {
  return route.template.split('/').filter((part) => part.startsWith('{')).length;
}

function matchesTemplate(template: string, segments: string[]): boolean {
  const parts = template.split('/');
  if (parts.length !== segments.length) return false;
  return parts.every((part, index) =>
    part.startsWith('{') ? SAFE_ID.test(segments[index]!) : part === segments[index],
  );
}

/** Only the known list/create parameters, re-encoded, in their original order. */
export function forwardedQuery(rawSearch: string): string {
  const incoming = new URLSearchParams(rawSearch);
  const outgoing = new URLSearchParams();
  for (const [name, value] of incoming) {
    if ((FORWARDED_QUERY_PARAMS as readonly string[]).includes(name)) outgoing.append(name, value);
  }
  const query = outgoing.toString();
  return query ? `?${query}` : '';
}
