import { randomBytes } from 'node:crypto';
import { copySqliteToPostgres } from '../assistants-server/store/postgres/copy/copy-sqlite';
import { PostgresRunQueries } from '../assistants-server/store/postgres/run-queries/postgres-run-queries';
import { connectToServer } from '../assistants-server/store/postgres/server-client';
import type { RunFilter, RunPageRequest } from '../assistants-server/store/run-query-request';
import type { RunSortField } from '../shared/runs-query-types';
import { decodeRunCursor } from '../assistants-server/store/run-cursor';
import { RunsQueryEngine } from '../server/run-index/runs-query';
import type { BenchContext } from './harness/bench-context';
import type { Figure } from './harness/figures';
import { indexedEmulator } from './harness/indexed-emulator';
import { round, summarize } from './harness/stats';
import { timeSequential } from './harness/timed-loop';

const GROUP = 'Run queries on PostgreSQL beside SQLite';
/** `BENCH_PG_RUNS`: runs seeded (100,000 a seed call, over 1,000 threads each). */
const RUNS = Number(process.env.BENCH_PG_RUNS ?? 100_000);
const SEED_RUNS = 100_000;
const SEED_THREADS = 1_000;
const P99_TARGET_MS = 50;
/** `BENCH_PG_KEEP=1`: keep the database after (its name logged), to read its plans with `EXPLAIN`. */
const KEEP_DATABASE = process.env.BENCH_PG_KEEP === '1';
/**
 * Starts of the seed's error words ("quota", "rate limit", "server_error"), as typed into the search box: the first
 * that some seeded thread's random id holds once lowercased (about 7 threads of 10,000 hold each) is searched, so a
 * search's word is in its texts and in a few thread ids.
 */
const WORD_STARTS = ['quo', 'rat', 'lim', 'ser', 'err', 'ota', 'ate', 'imi', 'mit', 'rve'];

/**
 * The query API's reads on PostgreSQL (store/postgres/run-queries) and on SQLite (server/run-index) over the same
 * runs: the emulator bulk-seeds its SQLite store and index, `db:copy`'s code copies them into a fresh database of
 * the server `BENCH_DATABASE_URL` names (dropped after), then each query is timed on both engines, called directly
 * (no HTTP): p50/p99 of pages and counts. Not measured without `BENCH_DATABASE_URL`.
 */
export async function measurePostgresRunQueries(context: BenchContext): Promise<Figure[]> {
  const adminUrl = process.env.BENCH_DATABASE_URL?.trim();
  if (!adminUrl) {
    return [
      {
        group: GROUP,
        name: 'page and count p99 on PostgreSQL',
        value: null,
        unit: 'ms',
        notes:
          'not measured: set BENCH_DATABASE_URL to a PostgreSQL server (a database is created and dropped)',
      },
    ];
  }
  const { emulator, index: keptIndex } = await indexedEmulator();
  const name = `runboard_bench_${randomBytes(6).toString('hex')}`;
  const admin = connectToServer(adminUrl, { maxConnections: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const client = connectToServer(url.toString());
  const figures: Figure[] = [];
  try {
    const threadIds: string[] = [];
    for (let seeded = 0; seeded < RUNS; seeded += SEED_RUNS) {
      const response = await emulator.admin.request('/seed', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ count: Math.min(SEED_RUNS, RUNS - seeded), thread_count: SEED_THREADS }),
      });
      if (!response.ok) throw new Error(`seed answered ${response.status}: ${await response.text()}`);
      threadIds.push(...((await response.json()) as { thread_ids: string[] }).thread_ids);
      context.log(`postgres queries: ${(seeded + SEED_RUNS).toLocaleString('en')} runs seeded`);
    }
    const index = keptIndex();
    const started = performance.now();
    await copySqliteToPostgres({ store: index.db, target: client });
    // As autovacuum would after a bulk load: the visibility map lets a search's count read its index alone.
    await client.query('VACUUM ANALYZE');
    figures.push({
      group: GROUP,
      name: `copy of ${RUNS.toLocaleString('en')} runs (store and query tables) into PostgreSQL, then VACUUM ANALYZE`,
      value: round((performance.now() - started) / 1000),
      unit: 's',
    });
    context.log('postgres queries: copied; timing');
    const sqlite = new RunsQueryEngine(index.db, (threadId) => index.runCount(threadId));
    const postgres = new PostgresRunQueries(client);
    const thread = threadIds[Math.floor(threadIds.length / 2)]!;
    const page = (filter: RunFilter, field: RunSortField, desc: boolean, after?: string | null) => ({
      filter,
      sort: { field, desc },
      limit: 100,
      after: after ? decodeRunCursor(after) : null,
      nowMs: Date.now(),
    });
    const inThreads = WORD_STARTS.map((word) => ({
      word,
      threads: threadIds.filter((id) => id.toLowerCase().includes(word)).length,
    })).find(({ threads }) => threads > 0);
    if (inThreads) {
      context.log(`postgres queries: "${inThreads.word}" is in ${inThreads.threads} thread ids`);
    }
    const inThreadsLabel = inThreads && `"${inThreads.word}" (also in ${inThreads.threads} thread ids)`;
    const secondByTokens = sqlite.page(page({}, 'tokens', true)).nextCursor;
    const pages: Array<[string, RunPageRequest]> = [
      ['page: all threads, newest first', page({}, 'created', true)],
      ['page: all threads, by tokens, second page', page({}, 'tokens', true, secondByTokens)],
      ['page: all threads, by duration', page({}, 'duration', true)],
      ['page: all threads, by outcome', page({}, 'outcome', false)],
      ['page: status failed, by tokens', page({ statuses: ['failed'] }, 'tokens', true)],
      [
        'page: statuses failed+cancelled+expired, by created',
        page({ statuses: ['failed', 'cancelled', 'expired'] }, 'created', true),
      ],
      ['page: one thread, by tokens', page({ threadId: thread }, 'tokens', true)],
      ['page: text search "quota", by created', page({ q: 'quota' }, 'created', true)],
      ['page: text search "rate limit", by tokens', page({ q: 'rate limit' }, 'tokens', true)],
      ['page: text search "quota", by outcome', page({ q: 'quota' }, 'outcome', false)],
      ['page: text search "quota", by duration', page({ q: 'quota' }, 'duration', true)],
      ['page: text search "server_error", by id', page({ q: 'server_error' }, 'id', true)],
      ['page: model filter, by tokens ascending', page({ model: 'gpt-4o' }, 'tokens', false)],
    ];
    if (inThreads) {
      const q = inThreads.word;
      pages.push(
        [`page: text search ${inThreadsLabel}, by created`, page({ q }, 'created', true)],
        [`page: text search ${inThreadsLabel}, by tokens`, page({ q }, 'tokens', true)],
        [
          `page: text search ${inThreadsLabel} limit, by outcome`,
          page({ q: `${q} limit` }, 'outcome', false),
        ],
      );
    }
    const counts: Array<[string, RunFilter]> = [
      ['count: all threads', {}],
      ['count: one thread', { threadId: thread }],
      ['count: text search "server_error"', { q: 'server_error' }],
      ['count: model filter', { model: 'gpt-4o' }],
    ];
    if (inThreads) counts.push([`count: text search ${inThreadsLabel}`, { q: inThreads.word }]);
    const timed = async (label: string, engine: string, call: () => unknown) => {
      const { latencySamples, latencyLoopMs } = context.durations;
      const summary = summarize(
        await timeSequential(async () => void (await call()), {
          maxSamples: Math.min(latencySamples, 200),
          maxMs: latencyLoopMs,
        }),
      );
      figures.push({
        group: GROUP,
        name: `${label}, ${engine}, p99`,
        value: summary.p99 === null ? null : round(summary.p99),
        unit: 'ms',
        target: { comparison: '<=', value: P99_TARGET_MS },
        detail: `p50 ${round(summary.p50 ?? 0)} ms, max ${round(summary.max ?? 0)} ms over ${summary.count} sequential calls; ${RUNS.toLocaleString('en')} runs, the engine called directly`,
      });
    };
    for (const [label, request] of pages) {
      await timed(label, 'PostgreSQL', () => postgres.page(request));
      await timed(label, 'SQLite', () => sqlite.page(request));
    }
    for (const [label, filter] of counts) {
      await timed(label, 'PostgreSQL', () => postgres.counts(filter));
      await timed(label, 'SQLite', () => sqlite.counts(filter));
    }
  } finally {
    await emulator.close();
    await client.close();
    if (KEEP_DATABASE) context.log(`postgres queries: database ${name} kept (BENCH_PG_KEEP=1)`);
    else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.close();
  }
  return figures;
}
