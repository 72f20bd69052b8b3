import { afterEach, describe, expect, it, vi } from 'vitest';
import { accessToken } from './access-token';
import { ApiError } from './api-error';
import { downloadAs } from './file-download';

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

describe('downloadAs', () => {
  it('asks the server for a link with the token, then lets the browser download from it (no bytes in the tab)', async () => {
    accessToken.save('the-token');
    const clicked = recordClicks();
    const fetch = vi.fn(async (_path: string, _init?: RequestInit) =>
      Response.json({ url: '/v1/files/file-1/content?runboard_download=1.sig' }),
    );
    vi.stubGlobal('fetch', fetch);
    await downloadAs('/v1/files/file-1/content', 'notes.txt');
    expect(fetch).toHaveBeenCalledTimes(1);
    const [path, init] = fetch.mock.calls[0]!;
    expect(path).toBe('/api/download-links');
    expect(init?.method).toBe('POST');
    expect(init?.body).toBe(JSON.stringify({ path: '/v1/files/file-1/content' }));
    expect((init?.headers as Record<string, string>)['x-runboard-token']).toBe('the-token');
    expect(clicked).toEqual([
      { href: '/v1/files/file-1/content?runboard_download=1.sig', download: 'notes.txt' },
    ]);
  });

  it("throws the server's refusal and downloads nothing", async () => {
    const clicked = recordClicks();
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        Response.json(
          { error: { message: 'No.', type: 'invalid_request_error', param: 'path', code: null } },
          { status: 400 },
        ),
      ),
    );
    await expect(downloadAs('/v1/files/file-1/content', 'notes.txt')).rejects.toBeInstanceOf(ApiError);
    expect(clicked).toEqual([]);
  });
});
