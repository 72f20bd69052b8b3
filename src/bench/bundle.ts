import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Figure } from './harness/figures';
import { INITIAL_JS_BUDGET_BYTES, measureInitialBundle } from './initial-bundle';

const GROUP = 'Bundle';

/** Initial JavaScript (entry + modulepreloads of dist/client/index.html), gzip, against the 130 KB budget. */
export function measureBundle(distDir: string): Figure[] {
  const bundle = measureInitialBundle(distDir);
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const stylesheets = [...html.matchAll(/<link\b[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map(
    (match) => match[1]!,
  );
  const cssGzip = stylesheets.reduce(
    (sum, href) => sum + gzipSync(readFileSync(join(distDir, href.replace(/^\//, '')))).length,
    0,
  );
  return [
    {
      group: GROUP,
      name: 'initial JS, gzip (entry + modulepreloads)',
      value: Math.round(bundle.gzipBytes / 100) / 10,
      unit: 'KB',
      target: { comparison: '<=', value: INITIAL_JS_BUDGET_BYTES / 1000 },
      detail:
        bundle.files.map((file) => `${file.href} ${(file.gzipBytes / 1000).toFixed(1)} KB`).join(', ') +
        `; ${(bundle.bytes / 1000).toFixed(1)} KB before gzip; 1 KB = 1,000 bytes; enforced by \`npm run test:bundle\``,
    },
    {
      group: GROUP,
      name: 'initial CSS, gzip',
      value: Math.round(cssGzip / 100) / 10,
      unit: 'KB',
      detail: stylesheets.join(', ') || 'no stylesheet',
    },
  ];
}
