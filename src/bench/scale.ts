import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunsPage, ThreadSummariesPage } from '../shared/runs-query-types';
import type { BenchContext } from './harness/bench-context';
import type { Figure } from './harness/figures';
import { processCpuMs } from './harness/process-cpu';
import { processMemoryMb } from './harness/process-memory';
import { startServerProcess, type ServerProcess } from './harness/server-process';
import { round, summarize } from './harness/stats';
import { timeSequential } from './harness/timed-loop';

const GROUP = 'Scale (SQLite file, 100k and 1M runs)';
/** Run counts measured, smallest first (`BENCH_SCALE_RUNS=100000`, or `BENCH_QUICK=1`, for a quick pass). */
const SIZES = (
  process.env.BENCH_SCALE_RUNS ?? (process.env.BENCH_QUICK === '1' ? '100000' : '100000,1000000')
)
  .split(',')
  .map((size) => Number(size.trim()))
  .filter((size) => Number.isInteger(size) && size >= 100_000);
/** One seed call: the admin route's largest (100,000 runs over 1,000 new threads). */
const SEED_RUNS = 100_000;
const SEED_THREADS = 1_000;
const SAMPLES = 60;
const WARMUP = 2;
/** A query slower than this per sample gets fewer samples (its p99 is then its slowest). */
const QUERY_WINDOW_MS = 20_000;
const P99_TARGET_MS = 50;
/** The longest text search the API takes (16 words): every word is in every rate-limited run's search text. */
const SIXTEEN_WORDS =
  'rate_limit_exceeded you exceeded your current quota please check plan billing details more information error read docs';

/**
 * Starts of the seed's error words ("quota", "rate limit", "server_error"): the first that some thread's random id
 * holds (about 7 threads of 10,000 hold each) is searched, a word of many runs' text and of a few thread ids.
 */
const THREAD_WORD_STARTS = ['quo', 'rat', 'lim', 'ser', 'err', 'ota', 'ate', 'imi', 'mit', 'rve'];

/** Each query's p99 beside the CPU time the server spent per request and the load average while it was measured. */
interface QueryResult {
  p50: number;
  p99: number;
  max: number;
  first: number;
  count: number;
  cpuMs: number | null;
  load: number;
}

interface SizeResult {
  runs: number;
  seedCallsS: number[];
  /** The server's CPU time per seed call (s), and the 1-minute load average after each. */
  seedCpuS: Array<number | null>;
  seedLoad: number[];
  fileMb: number;
  restartMs: number;
  rssAfterRestartMb: number | null;
  rssAfterQueriesMb: number | null;
  /** label → p50/p99/max/first (ms), CPU per request, load */
  queries: Map<string, QueryResult>;
}

/**
 * The embedded default at scale: a real server on a SQLite file, filled by bulk seeds of 100,000 runs over 1,000
 * threads each up to each size, then restarted; the time until `/api/runs` answers after the restart, the server's
 * resident memory, and every query of the query API (60 sequential requests each over HTTP, after 3 unmeasured
 * ones; the first request after the restart is in the detail). Sizes side by side, so growth shows.
 */
export async function measureScale(context: BenchContext): Promise<Figure[]> {
  const results: SizeResult[] = [];
  for (const runs of SIZES) results.push(await measureSize(context, runs));
  return figuresOf(results);
}

async function measureSize(context: BenchContext, runs: number): Promise<SizeResult> {
  const folder = mkdtempSync(join(tmpdir(), 'runboard-scale-'));
  const env = {
    RUNBOARD_DB: join(folder, 'runboard.sqlite'),
    RUNBOARD_AUDIT_DB: join(folder, 'audit.sqlite'),
    LOG_LEVEL: 'info',
  };
  let server: ServerProcess | null = null;
  try {
    server = await startServerProcess({ env, apiOnly: true, cwd: context.serverRoot });
    const seedCallsS: number[] = [];
    const seedCpuS: Array<number | null> = [];
    const seedLoad: number[] = [];
    for (let seeded = 0; seeded < runs; seeded += SEED_RUNS) {
      const started = performance.now();
      const cpuBefore = processCpuMs(server.pid);
      const response = await fetch(`${server.url}/api/emulator/seed`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ count: SEED_RUNS, thread_count: SEED_THREADS }),
      });
      if (!response.ok) throw new Error(`seed answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
      seedCallsS.push((performance.now() - started) / 1000);
      const cpuAfter = processCpuMs(server.pid);
      seedCpuS.push(cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / 1000);
      seedLoad.push(loadavg()[0]!);
      context.log(
        `scale: ${(seeded + SEED_RUNS).toLocaleString('en')} runs seeded (${round(seedCallsS.at(-1)!)} s, server CPU ${round(seedCpuS.at(-1) ?? 0)} s, load ${round(seedLoad.at(-1)!)})`,
      );
    }
    await server.stop();
    server = null;
    const fileMb = statSync(env.RUNBOARD_DB).size / 2 ** 20;

    const restarted = performance.now();
    server = await startServerProcess({ env, apiOnly: true, cwd: context.serverRoot });
    const firstPage = await fetch(`${server.url}/api/runs?limit=100`);
    if (!firstPage.ok) throw new Error(`/api/runs answered ${firstPage.status} after the restart`);
    await firstPage.arrayBuffer();
    const restartMs = performance.now() - restarted;
    const rssAfterRestartMb = processMemoryMb(server.pid);
    context.log(`scale: ${runs.toLocaleString('en')} runs, serving ${round(restartMs)} ms after the restart`);

    const queries = await measureQueries(server.url, server.pid, context);
    return {
      runs,
      seedCallsS,
      seedCpuS,
      seedLoad,
      fileMb,
      restartMs,
      rssAfterRestartMb,
      rssAfterQueriesMb: processMemoryMb(server.pid, 'VmHWM'),
      queries,
    };
  } finally {
    await server?.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}

async function measureQueries(
  url: string,
  pid: number | null,
  context: BenchContext,
): Promise<SizeResult['queries']> {
  const read = async (path: string) => {
    const response = await fetch(`${url}${path}`);
    const text = await response.text();
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${text.slice(0, 200)}`);
    return text;
  };
  const page = async (path: string) => JSON.parse(await read(path)) as RunsPage;
  const threads = JSON.parse(await read('/api/threads?limit=100')) as ThreadSummariesPage;
  const thread = threads.data[50]!.thread.id;
  const oldest = (await page('/api/runs?sort=created.asc&limit=1')).data[0]!;
  const byTokens = await page('/api/runs?sort=tokens.desc&limit=100');
  const deep = await page(`/api/runs?limit=100&created_before=${oldest.created_at + 600}`);
  let inThreads = THREAD_WORD_STARTS[0]!;
  for (const word of THREAD_WORD_STARTS) {
    const found = JSON.parse(await read(`/api/threads?q=${word}&limit=100`)) as ThreadSummariesPage;
    const ids = found.data.filter((summary) => summary.thread.id.toLowerCase().includes(word));
    if (ids.length === 0) continue;
    inThreads = word;
    context.log(`scale: "${word}" is in ${ids.length} thread ids`);
    break;
  }
  const variants: Array<[string, string]> = [
    ['page: all threads, newest first', '/api/runs?limit=100'],
    [
      'page: all threads, by tokens, second page',
      `/api/runs?sort=tokens.desc&limit=100&after=${byTokens.next_cursor}`,
    ],
    ['page: all threads, oldest first', '/api/runs?sort=created.asc&limit=100'],
    ['page: all threads, by duration', '/api/runs?sort=duration.desc&limit=100'],
    ['page: all threads, by outcome', '/api/runs?sort=outcome.asc&limit=100'],
    ['page: all threads, by id', '/api/runs?sort=id.desc&limit=100'],
    ['page: all threads, by status', '/api/runs?sort=status.asc&limit=100'],
    ['page: status failed, by tokens', '/api/runs?status=failed&sort=tokens.desc&limit=100'],
    [
      'page: statuses failed+cancelled+expired, newest first',
      '/api/runs?status=failed,cancelled,expired&limit=100',
    ],
    ['page: status requires_action (none), newest first', '/api/runs?status=requires_action&limit=100'],
    ['page: one thread, by tokens', `/api/runs?thread_id=${thread}&sort=tokens.desc&limit=100`],
    ['page: one thread, failed, newest first', `/api/runs?thread_id=${thread}&status=failed&limit=100`],
    ['page: model filter, by tokens ascending', '/api/runs?model=gpt-4o&sort=tokens.asc&limit=100'],
    [
      'page: created in the oldest ten minutes',
      `/api/runs?created_before=${oldest.created_at + 600}&limit=100`,
    ],
    ['page: metadata key (no run has it)', '/api/runs?metadata_key=ticket&limit=100'],
    ['page: text search "quota", newest first', '/api/runs?q=quota&limit=100'],
    ['page: text search "rate limit", by tokens', '/api/runs?q=rate%20limit&sort=tokens.desc&limit=100'],
    ['page: text search "quota" in one thread', `/api/runs?thread_id=${thread}&q=quota&limit=100`],
    ['page: text search of 16 words', `/api/runs?q=${encodeURIComponent(SIXTEEN_WORDS)}&limit=100`],
    ['page: text search "4o" (2 letters: no trigram)', '/api/runs?q=4o&limit=100'],
    [
      'page: text search of a word also in a few thread ids, newest first',
      `/api/runs?q=${inThreads}&limit=100`,
    ],
    [
      'page: text search of a word also in a few thread ids, by tokens',
      `/api/runs?q=${inThreads}&sort=tokens.desc&limit=100`,
    ],
    ['page: text search matching nothing', '/api/runs?q=zzzqqq&limit=100'],
    ['page: a whole run id (the oldest run)', `/api/runs?q=${oldest.id}`],
    ['page: a run id start pasted alone, lowercase', `/api/runs?q=${oldest.id.slice(0, 10).toLowerCase()}`],
    [
      'count: a run id start pasted alone, lowercase',
      `/api/runs/counts?q=${oldest.id.slice(0, 8).toLowerCase()}`,
    ],
    ['count: all threads', '/api/runs/counts'],
    ['count: one thread', `/api/runs/counts?thread_id=${thread}`],
    ['count: model filter', '/api/runs/counts?model=gpt-4o'],
    ['count: text search "server_error"', '/api/runs/counts?q=server_error'],
    ['count: text search "quota"', '/api/runs/counts?q=quota'],
    ['count: text search of 16 words', `/api/runs/counts?q=${encodeURIComponent(SIXTEEN_WORDS)}`],
    ['count: text search "4o" (2 letters)', '/api/runs/counts?q=4o'],
    ['count: text search of a word also in a few thread ids', `/api/runs/counts?q=${inThreads}`],
    ['usage: one thread', `/api/runs/usage?thread_id=${thread}`],
    ['usage: all threads', '/api/runs/usage'],
    ['threads: newest activity first', '/api/threads?limit=100'],
    ['threads: search "bulk"', '/api/threads?q=bulk&limit=100'],
  ];
  if (deep.data.length === 0) throw new Error('the oldest ten minutes hold no run');
  const results: SizeResult['queries'] = new Map();
  for (const [label, path] of variants) {
    const firstStarted = performance.now();
    await read(path);
    const first = performance.now() - firstStarted;
    const cpuBefore = processCpuMs(pid);
    const summary = summarize(
      await timeSequential(() => read(path), { maxSamples: SAMPLES, maxMs: QUERY_WINDOW_MS, warmup: WARMUP }),
    );
    const cpuAfter = processCpuMs(pid);
    results.set(label, {
      p50: summary.p50 ?? 0,
      p99: summary.p99 ?? 0,
      max: summary.max ?? 0,
      first,
      count: summary.count,
      // Per request, the unmeasured ones included (/proc counts in 10 ms ticks: a mean over the window).
      cpuMs:
        cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / (summary.count + WARMUP),
      load: loadavg()[0]!,
    });
  }
  const worst = [...results].sort((a, b) => b[1].p99 - a[1].p99)[0];
  if (worst) context.log(`scale: worst query "${worst[0]}" p99 ${round(worst[1].p99)} ms`);
  const costliest = [...results].sort((a, b) => (b[1].cpuMs ?? 0) - (a[1].cpuMs ?? 0))[0];
  if (costliest) {
    context.log(`scale: most CPU per request "${costliest[0]}" ${round(costliest[1].cpuMs ?? 0)} ms`);
  }
  return results;
}

const sum = (values: Array<number | null>) =>
  values.reduce<number>((total, value) => total + (value ?? 0), 0);

function figuresOf(results: SizeResult[]): Figure[] {
  const figures: Figure[] = [];
  const label = (runs: number) => (runs >= 1_000_000 ? `${runs / 1_000_000}M` : `${runs / 1_000}k`);
  for (const result of results) {
    const total = result.seedCallsS.reduce((sum, seconds) => sum + seconds, 0);
    figures.push({
      group: GROUP,
      name: `bulk seed of ${label(result.runs)} runs over ${label((result.runs / SEED_RUNS) * SEED_THREADS)} threads`,
      value: round(total),
      unit: 's',
      target: result.runs >= 1_000_000 ? { comparison: '<=', value: 60 } : undefined,
      detail: `${result.seedCallsS.length} calls of 100,000 runs (indexed in the same transaction): first ${round(result.seedCallsS[0]!)} s, last ${round(result.seedCallsS.at(-1)!)} s; the server's CPU time ${round(sum(result.seedCpuS))} s in all, per call first ${round(result.seedCpuS[0] ?? 0)} s, last ${round(result.seedCpuS.at(-1) ?? 0)} s; load average ${round(Math.min(...result.seedLoad))}–${round(Math.max(...result.seedLoad))} on ${cpus().length} cores; database file ${round(result.fileMb)} MB`,
    });
  }
  for (const result of results) {
    figures.push({
      group: GROUP,
      name: `restart to serving /api/runs, ${label(result.runs)} runs`,
      value: round(result.restartMs),
      unit: 'ms',
      detail: 'from starting the process to the first page of /api/runs answered (no index rebuilt at start)',
    });
  }
  for (const result of results) {
    figures.push({
      group: GROUP,
      name: `server resident memory after the restart, ${label(result.runs)} runs`,
      value: result.rssAfterRestartMb === null ? null : round(result.rssAfterRestartMb),
      unit: 'MB',
      target: { comparison: '<=', value: 500 },
      detail: `peak (VmHWM) after every query below: ${round(result.rssAfterQueriesMb ?? 0)} MB`,
    });
  }
  const labels = [...(results[0]?.queries.keys() ?? [])];
  for (const query of labels) {
    for (const result of results) {
      const measured = result.queries.get(query)!;
      figures.push({
        group: GROUP,
        name: `${query}, ${label(result.runs)} runs, p99`,
        value: round(measured.p99),
        unit: 'ms',
        target: {
          comparison: '<=',
          value: query.includes('16 words') && result.runs <= 100_000 ? 100 : P99_TARGET_MS,
        },
        detail: `p50 ${round(measured.p50)} ms, max ${round(measured.max)} ms over ${measured.count} sequential requests over HTTP; first after the restart ${round(measured.first)} ms; server CPU ${measured.cpuMs === null ? 'unknown' : `${round(measured.cpuMs)} ms`} per request; load average ${round(measured.load)}`,
      });
    }
  }
  return figures;
}
