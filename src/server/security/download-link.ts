import { Hono } from 'hono';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DownloadLink } from '../../shared/runboard-types';
import { openAiError } from './openai-error';

/** How long a download link opens its content after it was issued. */
export const DOWNLOAD_LINK_TTL_MS = 60_000;
/** The query parameter that carries a link's expiry and signature. Never forwarded upstream (proxy mode). */
export const DOWNLOAD_LINK_PARAM = 'runboard_download';
/** What a link may open: one file's content, by GET; the id of the characters an id is made of (no `..`, no escapes). */
const DOWNLOADABLE = /^\/v1\/files\/[A-Za-z0-9_-]+\/content$/;

export interface DownloadLinks {
  /** `path` with a signature that lets plain GETs (a link carries no header) of that path through for a minute. */
  issue(path: string): string;
  /** The signature `value` is this server's, for this raw (not percent-decoded) path, and has not expired. */
  opens(path: string, value: string | undefined): boolean;
}

/**
 * Links a browser can download through without the access-token header (an `<a download>` streams to disk; a
 * fetch with the header would hold the whole file in the tab). The dashboard asks for one with the header; the link
 * opens one file's content, for DOWNLOAD_LINK_TTL_MS. The key derives from RUNBOARD_TOKEN, so every instance of a
 * team server honours another's links, and a new token voids them all.
 */
export function downloadLinks(token: string, now: () => number = Date.now): DownloadLinks {
  const key = createHmac('sha256', token).update('runboard download link').digest();
  const sign = (path: string, expires: string) =>
    createHmac('sha256', key).update(`${path}\n${expires}`).digest('base64url');
  return {
    issue(path) {
      const expires = String(now() + DOWNLOAD_LINK_TTL_MS);
      return `${path}?${DOWNLOAD_LINK_PARAM}=${expires}.${sign(path, expires)}`;
    },
    opens(path, value) {
      if (!value || !DOWNLOADABLE.test(path)) return false;
      const parts = value.split('.');
      if (parts.length !== 2) return false;
      const [expires = '', signature = ''] = parts;
      if (!/^\d{1,15}$/.test(expires) || Number(expires) <= now()) return false;
      const expected = Buffer.from(sign(path, expires));
      const sent = Buffer.from(signature);
      return sent.length === expected.length && timingSafeEqual(sent, expected);
    },
  };
}

/**
 * `POST /api/download-links` `{ "path": "/v1/files/{id}/content" }` → `{ "url": … }`: the URL to download from.
 * Without an access token (`links` null) that is the path itself.
 */
export function downloadLinkRoutes(links: DownloadLinks | null): Hono {
  const routes = new Hono();
  routes.post('/download-links', async (c) => {
    const body = (await c.req.json().catch(() => null)) as { path?: unknown } | null;
    const path = body?.path;
    if (typeof path !== 'string' || !DOWNLOADABLE.test(path)) {
      return openAiError(
        c,
        400,
        "'path' must be a file's content path: /v1/files/{file_id}/content.",
        null,
        'path',
      );
    }
    return c.json<DownloadLink>({ url: links ? links.issue(path) : path });
  });
  return routes;
}
