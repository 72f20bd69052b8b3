import { afterEach, describe, expect, it, vi } from 'vitest';
import { accessToken } from './access-token';
import { ApiError } from './api-error';
import { downloadFile } from './file-download';

afterEach(() => {
  vi.unstubAllGlobals();
  accessToken.forget();
});

/** A stand-in `document` whose anchors record what was clicked. */
function recordClicks() {
  const clicked: { href: string; download: string }[] = [];
  vi.stubGlobal('document', {
    createElement: () => {
      const link = {
        href: '',
        download: '',
        click: () => clicked.push({ href: link.href, download: link.download }),
      };
      return link;
    },
  });
  return clicked;
}

const LINK = '/v1/files/file-1/content?runboard_download=1.sig';
const refused = (status: number, message: string) =>
  Response.json({ error: { message, type: 'invalid_request_error', param: null, code: null } }, { status });

/** The server: a link for the content path, the file's record, or what `answers` says for a path. */
function server(answers: Record<string, () => Response> = {}) {
  return vi.fn(async (path: string, _init?: RequestInit) => {
    if (answers[path]) return answers[path]();
    if (path === '/api/download-links') return Response.json({ url: LINK });
    return Response.json({ id: 'file-1', object: 'file', filename: 'notes.txt' });
  });
}

describe('downloadFile', () => {
  it('asks the server for a link with the token, then lets the browser download from it (no bytes in the tab)', async () => {
    accessToken.save('the-token');
    const clicked = recordClicks();
    const fetch = server();
    vi.stubGlobal('fetch', fetch);
    await downloadFile('file-1', 'notes.txt');
    const asked = fetch.mock.calls.find(([path]) => path === '/api/download-links');
    expect(asked?.[1]?.method).toBe('POST');
    expect(asked?.[1]?.body).toBe(JSON.stringify({ path: '/v1/files/file-1/content' }));
    expect((asked?.[1]?.headers as Record<string, string>)['x-runboard-token']).toBe('the-token');
    expect(fetch.mock.calls.map(([path]) => path)).not.toContain('/v1/files/file-1/content');
    expect(clicked).toEqual([{ href: LINK, download: 'notes.txt' }]);
  });

  it("throws the server's refusal of the link and downloads nothing", async () => {
    const clicked = recordClicks();
    vi.stubGlobal('fetch', server({ '/api/download-links': () => refused(400, 'No.') }));
    await expect(downloadFile('file-1', 'notes.txt')).rejects.toBeInstanceOf(ApiError);
    expect(clicked).toEqual([]);
  });

  it('says a file deleted elsewhere is gone, in the page, and downloads nothing', async () => {
    const clicked = recordClicks();
    vi.stubGlobal('fetch', server({ '/v1/files/file-1': () => refused(404, 'No such File object: file-1') }));
    await expect(downloadFile('file-1', 'notes.txt')).rejects.toMatchObject({
      status: 404,
      message: 'No such File object: file-1',
    });
    expect(clicked).toEqual([]);
  });
});
