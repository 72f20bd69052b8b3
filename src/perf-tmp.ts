import { createHarness } from '/work/wt/query/src/emulator/test-support/emulator-harness';
import { createRunQueryService } from '/work/wt/query/src/server/runs-api/run-query-service';
import { indexFromEmulator } from '/work/wt/query/src/server/run-index/emulator-source';
import { runsApiRoutes } from '/work/wt/query/src/server/runs-api/runs-api-routes';
const h = createHarness();
let t = performance.now();
const service = createRunQueryService(':memory:', (index) => indexFromEmulator(index, h.emulator));
h.app.route('/api', runsApiRoutes(service));
const r = await h.admin('/seed', { count: 100000, thread_count: 1000 });
const seeded = await r.json() as any;
console.log('seed+index ms', performance.now() - t);
const tid = seeded.thread_ids[500];
const paths = [
  '/api/runs', '/api/runs?sort=tokens.desc', '/api/runs?sort=duration.desc', '/api/runs?sort=outcome.asc', '/api/runs?sort=metadata.desc',
  '/api/runs?sort=id.asc', '/api/runs?status=failed', '/api/runs?status=requires_action', '/api/runs?status=failed&sort=tokens.desc',
  '/api/runs?status=requires_action,queued&sort=tokens.desc',
  `/api/runs?thread_id=${tid}&sort=tokens.desc`, `/api/runs?thread_id=${tid}&status=failed&sort=duration.asc`,
  '/api/runs?q=server_error', '/api/runs?q=rate%20limit&sort=tokens.desc', '/api/runs?metadata_key=x', '/api/runs?model=gpt-4o&sort=tokens.asc',
  '/api/runs?created_after=1768460000&sort=tokens.desc',
  '/api/runs/counts', `/api/runs/counts?thread_id=${tid}`, '/api/runs/counts?q=server_error', '/api/runs/counts?model=gpt-4o', '/api/threads', '/api/threads?q=bulk', '/api/runs?q=server_error&status=failed&sort=created.asc', '/api/runs?status=failed&sort=tokens.desc&limit=500',
];
for (const p of paths) {
  const samples: number[] = [];
  let res: any;
  for (let i = 0; i < 30; i++) { const s = performance.now(); const resp = await h.app.request(p); res = await resp.text(); samples.push(performance.now() - s); }
  samples.sort((a, b) => a - b);
  console.log(p.padEnd(70), 'p50', samples[15]!.toFixed(1), 'max', samples[29]!.toFixed(1), res.slice(0, 80).replace(/\n/g,' '));
}
