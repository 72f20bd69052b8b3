/**
 * The headers of a file's bytes sent as a download. The name goes twice (RFC 6266): `filename*` in UTF-8 for every
 * current browser, and `filename` as an ASCII fallback; a link download takes the saved name from here, not from
 * its `download` attribute, so a name percent-encoded in `filename` alone would be saved encoded by Firefox.
 * `no-store`: a download link opens the content for a minute, and no cache in between may serve it longer.
 */
export function attachmentHeaders(filename: string, bytes: number): Record<string, string> {
  return {
    'content-type': 'application/octet-stream',
    'content-length': String(bytes),
    'content-disposition': `attachment; filename="${asciiFallback(filename)}"; filename*=UTF-8''${rfc5987(filename)}`,
    'cache-control': 'private, no-store',
  };
}

/** Printable ASCII but the quote and the backslash (which would end or escape the quoted string); `_` for the rest. */
const asciiFallback = (name: string) => name.replace(/[^\x20-\x7e]|["\\]/g, '_');

/** RFC 5987's attr-char: encodeURIComponent leaves `'()*` as they are, which `filename*` does not allow. */
const rfc5987 = (name: string) =>
  encodeURIComponent(name).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
