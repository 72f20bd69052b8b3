/**
 * `npm run test:bundle` (after `vite build`): fails when the dashboard's initial JavaScript, gzip, is over budget.
 * The size is deterministic for a given build, so unlike timings it is enforced.
 */
import { resolve } from 'node:path';
import { formatKb, INITIAL_JS_BUDGET_BYTES, measureInitialBundle } from './initial-bundle';

const distDir = resolve(process.argv[2] ?? 'dist/client');
const bundle = measureInitialBundle(distDir);
for (const file of bundle.files) {
  process.stdout.write(
    `  ${file.kind.padEnd(13)} ${file.href.padEnd(48)} ${formatKb(file.gzipBytes).padStart(9)} gzip\n`,
  );
}
const verdict = bundle.gzipBytes <= INITIAL_JS_BUDGET_BYTES ? 'within' : 'OVER';
process.stdout.write(
  `Initial JS: ${formatKb(bundle.gzipBytes)} gzip (${formatKb(bundle.bytes)} raw), ${verdict} the ${formatKb(INITIAL_JS_BUDGET_BYTES)} budget.\n`,
);
if (bundle.gzipBytes > INITIAL_JS_BUDGET_BYTES) {
  process.stderr.write(
    'Move what the first screen does not need behind a dynamic import(), or drop a dependency, then rebuild.\n',
  );
  process.exit(1);
}
