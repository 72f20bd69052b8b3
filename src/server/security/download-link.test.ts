import { afterEach, describe, expect, it } from 'vitest';
import type { DownloadLink } from '../../shared/runboard-types';
import { DOWNLOAD_LINK_PARAM, DOWNLOAD_LINK_TTL_MS, downloadLinks } from './download-link';
import { createPerimeterApp, type PerimeterApp } from './test-support/perimeter-app';

let perimeter: PerimeterApp;
afterEach(() => perimeter?.cleanup());

const TOKEN = 'c0ffee-0123456789abcdef-token';
const LOCAL = { host: 'localhost:3180' };
const CONTENT = '/v1/files/file-abc/content';

async function linkFor(path: string, headers: Record<string, string>): Promise<Response> {
  return perimeter.app.request('/api/download-links', {
    method: 'POST',
    headers: { ...LOCAL, ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ path }),
  });
}

describe('download links (a plain link streams a file to disk; it cannot carry the token header)', () => {
  it("with RUNBOARD_TOKEN: a link asked for with the token opens that file's content without it", async () => {
    perimeter = createPerimeterApp({ RUNBOARD_TOKEN: TOKEN });
    const asked = await linkFor(CONTENT, { 'x-runboard-token': TOKEN });
    expect(asked.status).toBe(200);
    const { url } = (await asked.json()) as DownloadLink;
    expect(url).toMatch(new RegExp(`^${CONTENT}\\?${DOWNLOAD_LINK_PARAM}=\\d+\\.[\\w-]+$`));
    expect(url).not.toContain(TOKEN);
    const download = await perimeter.app.request(url, { headers: LOCAL });
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('the bytes');
    expect(perimeter.backendCalls).toEqual(['content file-abc']);
  });

  it('is refused without the token, and for anything but a file content path', async () => {
    perimeter = createPerimeterApp({ RUNBOARD_TOKEN: TOKEN });
    expect((await linkFor(CONTENT, {})).status).toBe(401);
    for (const path of [
      '/v1/files/file-abc',
      '/api/config',
      '/v1/files/a/content/x',
      '/v1/files/../content',
      42,
    ]) {
      const refused = await linkFor(path as string, { 'x-runboard-token': TOKEN });
      expect(refused.status, String(path)).toBe(400);
      expect(((await refused.json()) as { error: { param: string } }).error.param).toBe('path');
    }
  });

  it("a link opens no other path, no write, and not once it is altered or another server's", async () => {
    perimeter = createPerimeterApp({ RUNBOARD_TOKEN: TOKEN });
    const { url } = (await (await linkFor(CONTENT, { 'x-runboard-token': TOKEN })).json()) as DownloadLink;
    const ticket = new URL(url, 'http://localhost').searchParams.get(DOWNLOAD_LINK_PARAM)!;
    const other = downloadLinks('another server token').issue(CONTENT);
    for (const [method, path] of [
      ['GET', `/v1/files/file-other/content?${DOWNLOAD_LINK_PARAM}=${ticket}`],
      ['GET', `/v1/threads/thread_1/runs?${DOWNLOAD_LINK_PARAM}=${ticket}`],
      ['POST', `/v1/threads/thread_1/runs/run_1/cancel?${DOWNLOAD_LINK_PARAM}=${ticket}`],
      [
        'GET',
        `${CONTENT}?${DOWNLOAD_LINK_PARAM}=${ticket.replace(/\.(.)/, (_m, c) => `.${c === 'A' ? 'B' : 'A'}`)}`,
      ],
      [
        'GET',
        `${CONTENT}?${DOWNLOAD_LINK_PARAM}=${Number(ticket.split('.')[0]) + 1}.${ticket.split('.')[1]}`,
      ],
      ['GET', other],
      ['GET', CONTENT],
      // The same path percent-encoded: it names the same file once decoded, but the signature is of the raw path.
      ['GET', `/v1/files/file-ab%63/content?${DOWNLOAD_LINK_PARAM}=${ticket}`],
      ['GET', `${CONTENT}?${DOWNLOAD_LINK_PARAM}=${ticket}.more`],
    ] as const) {
      const response = await perimeter.app.request(path, { method, headers: LOCAL });
      expect(response.status, `${method} ${path}`).toBe(401);
    }
    expect(perimeter.backendCalls).toEqual([]);
  });

  it('expires after DOWNLOAD_LINK_TTL_MS', () => {
    let now = 1_000_000;
    const links = downloadLinks(TOKEN, () => now);
    const value = new URL(links.issue(CONTENT), 'http://localhost').searchParams.get(DOWNLOAD_LINK_PARAM)!;
    expect(links.opens(CONTENT, value)).toBe(true);
    now += DOWNLOAD_LINK_TTL_MS - 1;
    expect(links.opens(CONTENT, value)).toBe(true);
    now += 1;
    expect(links.opens(CONTENT, value)).toBe(false);
  });

  it('without RUNBOARD_TOKEN: the link is the content path itself', async () => {
    perimeter = createPerimeterApp();
    const asked = await linkFor(CONTENT, {});
    expect(await asked.json()).toEqual({ url: CONTENT });
  });
});
