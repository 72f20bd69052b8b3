import type { ProxyConfig } from '../config';

/**
 * Client headers that may travel upstream. Everything else is dropped, notably Authorization, Cookie, the
 * x-runboard-token and hop-by-hop headers; the server adds its own key and the Assistants beta header.
 */
const FORWARDED_REQUEST_HEADERS = ['content-type', 'accept', 'openai-organization', 'openai-project'];

/** Upstream headers relayed to the browser. Set-Cookie, CORS and hop-by-hop headers are not among them. */
const RELAYED_RESPONSE_HEADERS = [
  'content-type',
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
  outgoing.set('openai-beta', 'assistants=v2');
  if (config.apiKey) outgoing.set('authorization', `Bearer ${config.apiKey}`);
  if (config.organization) outgoing.set('openai-organization', config.organization);
  if (config.project) outgoing.set('openai-project', config.project);
  return outgoing;
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
