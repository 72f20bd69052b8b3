import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Initial JavaScript, gzip: the budget from issue 7 (1 KB = 1,000 bytes, as Vite's build report counts). */
export const INITIAL_JS_BUDGET_BYTES = 130_000;

export interface InitialFile {
  /** As referenced by index.html, e.g. /assets/index-abc123.js. */
  href: string;
  kind: 'entry' | 'modulepreload';
  bytes: number;
  gzipBytes: number;
}

export interface InitialBundle {
  files: InitialFile[];
  gzipBytes: number;
  bytes: number;
}

/**
 * What a browser must download before the dashboard can start: the module entry script and every modulepreload
 * that dist/client/index.html names. Each file is gzipped on its own at zlib's default level (what Vite reports
 * and what a gzip-serving proxy would send).
 */
export function measureInitialBundle(distDir: string): InitialBundle {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const references = initialScriptReferences(html);
  if (!references.some((reference) => reference.kind === 'entry')) {
    throw new Error(
      `${join(distDir, 'index.html')} has no <script type="module" src>: is this a Vite build?`,
    );
  }
  const files = references.map(({ href, kind }): InitialFile => {
    const content = readFileSync(join(distDir, href.replace(/^\//, '').split(/[?#]/)[0]!));
    return { href, kind, bytes: content.length, gzipBytes: gzipSync(content).length };
  });
  return {
    files,
    bytes: files.reduce((sum, file) => sum + file.bytes, 0),
    gzipBytes: files.reduce((sum, file) => sum + file.gzipBytes, 0),
  };
}

/** Local module scripts and modulepreload links of an HTML page, in document order, without duplicates. */
export function initialScriptReferences(html: string): Array<{ href: string; kind: InitialFile['kind'] }> {
  const found: Array<{ href: string; kind: InitialFile['kind'] }> = [];
  for (const [tag] of html.matchAll(/<(script|link)\b[^>]*>/gi)) {
    const attributes = attributesOf(tag);
    if (tag.toLowerCase().startsWith('<script') && attributes.type === 'module' && attributes.src) {
      found.push({ href: attributes.src, kind: 'entry' });
    } else if (
      tag.toLowerCase().startsWith('<link') &&
      attributes.rel === 'modulepreload' &&
      attributes.href
    ) {
      found.push({ href: attributes.href, kind: 'modulepreload' });
    }
  }
  const local = found.filter(({ href }) => !/^[a-z]+:|^\/\//i.test(href));
  return local.filter((item, index) => local.findIndex((other) => other.href === item.href) === index);
}

function attributesOf(tag: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of tag.matchAll(/([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/g)) {
    attributes[match[1]!.toLowerCase()] = match[2] ?? match[3] ?? match[4] ?? '';
  }
  return attributes;
}

export function formatKb(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} KB`;
}
