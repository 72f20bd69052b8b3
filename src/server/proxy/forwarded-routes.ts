/**
 * The only method + path templates the proxy forwards: the ones the dashboard uses. Everything else is answered
 * locally and never reaches the upstream.
 */

export type ForwardedMethod = 'GET' | 'POST';

interface RouteTemplate {
  method: ForwardedMethod;
  /** Segments relative to the API root; `{name}` marks an id. */
  template: string;
}

const ROUTES: RouteTemplate[] = [
  { method: 'GET', template: 'assistants' },
  { method: 'POST', template: 'assistants' },
  { method: 'GET', template: 'assistants/{assistant_id}' },
  { method: 'POST', template: 'threads' },
  { method: 'GET', template: 'threads/{thread_id}' },
  { method: 'GET', template: 'threads/{thread_id}/messages' },
  { method: 'POST', template: 'threads/{thread_id}/messages' },
  { method: 'GET', template: 'threads/{thread_id}/runs' },
  { method: 'POST', template: 'threads/{thread_id}/runs' },
  { method: 'GET', template: 'threads/{thread_id}/runs/{run_id}' },
  { method: 'POST', template: 'threads/{thread_id}/runs/{run_id}' },
  { method: 'POST', template: 'threads/{thread_id}/runs/{run_id}/cancel' },
  { method: 'POST', template: 'threads/{thread_id}/runs/{run_id}/submit_tool_outputs' },
  { method: 'GET', template: 'threads/{thread_id}/runs/{run_id}/steps' },
];

/** Query parameters forwarded on list and create calls; any other is dropped. */
export const FORWARDED_QUERY_PARAMS = ['limit', 'order', 'after', 'before', 'include[]'] as const;

/**
 * Ids are compared against this on the raw, still percent-encoded path, so encoded slashes, dots, CRLF, backslashes
 * and empty segments can never pass.
 */
const SAFE_ID = /^[A-Za-z0-9_-]+$/;

export type RouteMatch =
  | { kind: 'forward'; method: ForwardedMethod; template: string; upstreamPath: string; isRunsRoute: boolean }
  /** The path is one the dashboard uses, the method is not. */
  | { kind: 'method-not-forwarded'; template: string }
  | { kind: 'unknown' };

/** `rawPath` is relative to the API root (no `/v1`), still percent-encoded, without its query string. */
export function matchForwardedRoute(method: string, rawPath: string): RouteMatch {
  const segments = rawPath.replace(/^\//, '').split('/');
  let templateMatchedOtherMethod: string | null = null;
  for (const route of ROUTES) {
    const upstreamPath = fillTemplate(route.template, segments);
    if (upstreamPath === null) continue;
    if (route.method !== method) {
      templateMatchedOtherMethod = route.template;
      continue;
    }
    return {
      kind: 'forward',
      method: route.method,
      template: route.template,
      upstreamPath,
      isRunsRoute: route.template.includes('/runs'),
    };
  }
  return templateMatchedOtherMethod === null
    ? { kind: 'unknown' }
    : { kind: 'method-not-forwarded', template: templateMatchedOtherMethod };
}

function fillTemplate(template: string, segments: string[]): string | null {
  const parts = template.split('/');
  if (parts.length !== segments.length) return null;
  for (let index = 0; index < parts.length; index += 1) {
    const part = parts[index]!;
    const segment = segments[index]!;
    if (part.startsWith('{')) {
      if (!SAFE_ID.test(segment)) return null;
    } else if (part !== segment) {
      return null;
    }
  }
  return segments.join('/');
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
