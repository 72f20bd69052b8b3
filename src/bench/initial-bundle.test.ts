import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { initialScriptReferences, measureInitialBundle } from './initial-bundle';

const INDEX = `<!doctype html><html><head>
<script type="module" crossorigin src="/assets/index-a1.js"></script>
<link rel="modulepreload" crossorigin href="/assets/react-b2.js">
<link rel='modulepreload' href='/assets/query-c3.js'>
<link rel="stylesheet" crossorigin href="/assets/index-d4.css">
<link rel="modulepreload" href="https://cdn.example/remote.js">
<script src="/legacy.js"></script>
</head><body><div id="root"></div></body></html>`;

describe('initialScriptReferences', () => {
  it('lists the module entry and its local modulepreloads, not styles, classic scripts or remote files', () => {
    expect(initialScriptReferences(INDEX)).toEqual([
      { href: '/assets/index-a1.js', kind: 'entry' },
      { href: '/assets/react-b2.js', kind: 'modulepreload' },
      { href: '/assets/query-c3.js', kind: 'modulepreload' },
    ]);
  });
});

describe('measureInitialBundle', () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  it('sums the gzip sizes of the entry and its preloads', () => {
    dir = mkdtempSync(join(tmpdir(), 'runboard-bundle-'));
    mkdirSync(join(dir, 'assets'));
    const entry = 'console.log("entry");'.repeat(200);
    const react = 'export const react = 1;'.repeat(300);
    const query = 'export const query = 2;';
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets/index-a1.js'), entry);
    writeFileSync(join(dir, 'assets/react-b2.js'), react);
    writeFileSync(join(dir, 'assets/query-c3.js'), query);
    writeFileSync(join(dir, 'assets/lazy-e5.js'), 'not initial'.repeat(1000));

    const bundle = measureInitialBundle(dir);

    const expected = [entry, react, query].map((text) => gzipSync(text).length);
    expect(bundle.files.map((file) => file.gzipBytes)).toEqual(expected);
    expect(bundle.gzipBytes).toBe(expected.reduce((a, b) => a + b, 0));
    expect(bundle.bytes).toBe(entry.length + react.length + query.length);
  });

  it('refuses a page without a module entry', () => {
    dir = mkdtempSync(join(tmpdir(), 'runboard-bundle-'));
    writeFileSync(join(dir, 'index.html'), '<html><body></body></html>');
    expect(() => measureInitialBundle(dir!)).toThrow(/no <script type="module" src>/);
  });
});
