import { Hono } from 'hono';
import type { RunsPage } from '../shared/runs-query-types';
import { emulatorIndexSource } from '../server/run-index/emulator-source';
import { createRunQueryService } from '../server/query-api/run-query-service';
import { runsApiRoutes } from '../server/query-api/query-api-routes';
import type { BenchContext } from './harness/bench-context';
import type { Figure } from './harness/figures';
import { indexedEmulator } from './harness/indexed-emulator';
import { round, summarize } from './harness/stats';
import { timeSequential } from './harness/timed-loop';

const GROUP = 'Run queries (/api)';
const RUNS = 100_000;
const THREADS = 1_000;
const P99_TARGET_MS = 50;

/**
 * The run query API at 100,000 runs over 1,000 threads (bulk seed), in-process through the API's Hono routes
 * (`app.request`: the query, the JSON answer and the routing, without Node's HTTP stack): p50/p99 of a page and of a
 * count for several filters and sorts, and the cost of building the index.
 */
export async function measureRunQueries(context: BenchContext): Promise<Figure[]> {
  const { emulator, index: keptIndex } = await indexedEmulator();
  const service = createRunQueryService(keptIndex(), (index) => emulatorIndexSource(index, emulator));
  const app = new Hono().route('/api', runsApiRoutes(service));
  const figures: Figure[] = [];
  try {
    context.log(`run queries: seeding ${RUNS.toLocaleString('en')} runs over ${THREADS} threads`);
    const started = performance.now();
    const seeded = await emulator.admin.request('/seed', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: RUNS, thread_count: THREADS }),
    });
    if (!seeded.ok) throw new Error(`seed answered ${seeded.status}: ${await seeded.text()}`);
    const { thread_ids: threadIds } = (await seeded.json()) as { thread_ids: string[] };
    figures.push({
      group: GROUP,
      name: 'bulk seed of 100,000 runs over 1,000 threads, indexed',
      value: round((performance.now() - started) / 1000),
      unit: 's',
      detail:
        'the emulator insert plus the query index reloading the seeded threads (one reset on the change feed)',
    });
    const read = async (path: string) => {
      const response = await app.request(path);
      const text = await response.text();
      if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${text.slice(0, 200)}`);
      return text;
    };
    const thread = threadIds[THREADS / 2]!;
    const oldest = (JSON.parse(await read('/api/runs?sort=created.asc&limit=1')) as RunsPage).data[0]!.id;
    const firstPage = JSON.parse(await read('/api/runs?sort=tokens.desc&limit=100')) as RunsPage;
    const variants: Array<[string, string]> = [
      ['page: all threads, newest first', '/api/runs?limit=100'],
      [
        'page: all threads, by tokens, second page',
        `/api/runs?sort=tokens.desc&limit=100&after=${firstPage.next_cursor}`,
      ],
      ['page: all threads, by duration', '/api/runs?sort=duration.desc&limit=100'],
      ['page: all threads, by outcome', '/api/runs?sort=outcome.asc&limit=100'],
      ['page: status failed, by tokens', '/api/runs?status=failed&sort=tokens.desc&limit=100'],
      [
        'page: statuses failed+cancelled+expired, by created',
        '/api/runs?status=failed,cancelled,expired&limit=100',
      ],
      ['page: one thread, by tokens', `/api/runs?thread_id=${thread}&sort=tokens.desc&limit=100`],
      ['page: text search "quota", by created', '/api/runs?q=quota&limit=100'],
      ['page: text search "rate limit", by tokens', '/api/runs?q=rate%20limit&sort=tokens.desc&limit=100'],
      ['page: model filter, by tokens ascending', '/api/runs?model=gpt-4o&sort=tokens.asc&limit=100'],
      ['page: exact id of the oldest run', `/api/runs?q=${oldest}`],
      ['count: all threads', '/api/runs/counts'],
      ['count: one thread', `/api/runs/counts?thread_id=${thread}`],
      ['count: text search "server_error"', '/api/runs/counts?q=server_error'],
      ['count: model filter', '/api/runs/counts?model=gpt-4o'],
      ['threads: newest activity first', '/api/threads?limit=100'],
    ];
    const { latencySamples, latencyLoopMs } = context.durations;
    for (const [label, path] of variants) {
      const summary = summarize(
        await timeSequential(() => read(path), {
          maxSamples: Math.min(latencySamples, 300),
          maxMs: latencyLoopMs,
        }),
      );
      figures.push({
        group: GROUP,
        name: `${label}, p99`,
        value: summary.p99 === null ? null : round(summary.p99),
        unit: 'ms',
        target: { comparison: '<=', value: P99_TARGET_MS },
        detail: `p50 ${round(summary.p50 ?? 0)} ms, max ${round(summary.max ?? 0)} ms over ${summary.count} sequential requests; ${RUNS.toLocaleString('en')} runs over ${THREADS} threads, in-process`,
      });
    }
  } finally {
    service.close();
    await emulator.close();
  }
  return figures;
}
