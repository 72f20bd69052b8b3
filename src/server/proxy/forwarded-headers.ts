import type { ProxyConfig } from '../config';

/**
 * Client headers that may travel upstream. Everything else is dropped, notably Authorization, Cookie, the
 * x-runboard-token and hop-by-hop headers; the server adds its own key and the Assistants beta header.
 */
const FORWARDED_REQUEST_HEADERS = ['content-type', 'accept', 'openai-organization', 'openai-project'];

/** Upstream headers relayed to the browser. Set-Cookie, CORS and hop-by-hop headers are not among them. */
const RELAYED_RESPONSE_HEADERS = [
  'content-type',
  // A file's content names the file (`GET /v1/files/{id}/content`), so a browser saves it under its name.
  'content-disposition',
  'retry-after',
  'retry-after-ms',
  'openai-poll-after-ms',
  'openai-processing-ms',
  'openai-version',
  'x-request-id',
];
const RELAYED_RESPONSE_HEADER_PREFIX = 'x-ratelimit-';

export function upstreamRequestHeaders(incoming: Headers, config: ProxyConfig): Headers {
  const outgoing = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = incoming.get(name);
    if (value !== null) outgoing.set(name, value);
  }
  return withServerCredentials(outgoing, config);
}

/**
 * Adds what the server sends on every upstream request, forwarded or its own: the Assistants beta header, the key
 * (`Authorization: Bearer`, or Azure OpenAI's `api-key`), the organization and project.
 */
export function withServerCredentials(headers: Headers, config: ProxyConfig): Headers {
  headers.set('openai-beta', 'assistants=v2');
  if (config.apiKey) {
    if (config.keyHeader === 'api-key') headers.set('api-key', config.apiKey);
    else headers.set('authorization', `Bearer ${config.apiKey}`);
  }
  if (config.organization) headers.set('openai-organization', config.organization);
  if (config.project) headers.set('openai-project', config.project);
  return headers;
}

/** `path` (relative to the base URL, with its own query or none) on the upstream, with Azure's `api-version` added. */
export function upstreamUrl(config: ProxyConfig, path: string): URL {
  const url = new URL(path, config.baseUrl);
  if (config.apiVersion) url.searchParams.set('api-version', config.apiVersion);
  return url;
}

export function relayedResponseHeaders(upstream: Headers): Headers {
  const relayed = new Headers();
  for (const [name, value] of upstream) {
    if (RELAYED_RESPONSE_HEADERS.includes(name) || name.startsWith(RELAYED_RESPONSE_HEADER_PREFIX)) {
      relayed.set(name, value);
    }
  }
  return relayed;
}
