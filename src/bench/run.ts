/**
 * `npm run bench`: builds the dashboard (into bench-report/, so other builds cannot pull it away mid-run), starts the real server (emulator in memory), drives headless
 * Chromium and plain HTTP clients against it, and writes bench-report/report.md and report.json.
 * BENCH_QUICK=1 shortens every window (a smoke run of the bench itself); BENCH_ONLY=polling,load runs some groups
 * (file-search measures the engine in process, on its own SQLite file).
 */
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import type { Browser } from '@playwright/test';
import { measureBundle } from './bundle';
import { measureChangeFeedMemory } from './change-feed-memory';
import { measureDashboardScale } from './dashboard-scale';
import { measureDueBacklog } from './due-backlog';
import { measureEmulatorLatency } from './emulator-latency';
import { measureFileSearch } from './file-search';
import { measureVectorStores } from './vector-stores';
import { benchDurations, type BenchContext } from './harness/bench-context';
import { launchBrowser } from './harness/browser';
import { buildDashboardForBench } from './harness/dashboard-build';
import type { Figure, GroupResult } from './harness/figures';
import { RunboardApi } from './harness/runboard-api';
import { startServerProcess, type ServerProcess } from './harness/server-process';
import { measureLoad } from './load';
import { measureModelExecutor } from './model-executor';
import { measureRunawayModel } from './runaway-model';
import { measurePolling } from './polling';
import { measureProxyOverhead } from './proxy-overhead';
import { measureStreaming } from './streaming';
import { measurePostgresRunQueries } from './postgres-run-queries';
import { measureRunQueries } from './run-queries';
import { measureScale } from './scale';
import { writeReport } from './report-writer';

const REPORT_DIR = resolve('bench-report');
const quick = process.env.BENCH_QUICK === '1';
const only = (process.env.BENCH_ONLY ?? '')
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean);
const started = performance.now();
const log = (message: string) =>
  process.stderr.write(`[bench ${Math.round((performance.now() - started) / 1000)}s] ${message}\n`);

const groups: Array<{ key: string; group: string; measure: (context: BenchContext) => Promise<Figure[]> }> = [
  { key: 'dashboard', group: 'Dashboard at scale (10,000 runs)', measure: measureDashboardScale },
  { key: 'polling', group: 'Polling', measure: measurePolling },
  { key: 'emulator', group: 'Emulator', measure: measureEmulatorLatency },
  { key: 'queries', group: 'Run queries (/api)', measure: measureRunQueries },
  { key: 'pgqueries', group: 'Run queries on PostgreSQL beside SQLite', measure: measurePostgresRunQueries },
  { key: 'proxy', group: 'Proxy', measure: measureProxyOverhead },
  { key: 'load', group: 'Load', measure: measureLoad },
  { key: 'streaming', group: 'Streaming', measure: measureStreaming },
  { key: 'model', group: 'Model executor', measure: measureModelExecutor },
  { key: 'runaway', group: 'Model executor under a runaway model', measure: measureRunawayModel },
  { key: 'feed', group: 'Change feed under stalled readers', measure: measureChangeFeedMemory },
  { key: 'lifecycle', group: 'Lifecycle', measure: measureDueBacklog },
  { key: 'scale', group: 'Scale (SQLite file, 100k and 1M runs)', measure: measureScale },
  { key: 'file-search', group: 'File search (10,000 chunks)', measure: measureFileSearch },
  { key: 'vector-stores', group: 'Vector stores (/v1)', measure: measureVectorStores },
];
const selected = (key: string) => only.length === 0 || only.includes(key);

async function timedGroup(group: string, measure: () => Promise<Figure[]> | Figure[]): Promise<GroupResult> {
  const groupStarted = performance.now();
  log(`${group}…`);
  try {
    return { group, figures: await measure(), durationMs: performance.now() - groupStarted };
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`${group} failed: ${message}`);
    return {
      group,
      figures: [],
      error: message.split('\n').slice(0, 3).join(' '),
      durationMs: performance.now() - groupStarted,
    };
  }
}

const results: GroupResult[] = [];
let server: ServerProcess | null = null;
let browser: Browser | null = null;
try {
  const serverRoot = await buildDashboardForBench(log);
  if (selected('bundle')) {
    results.push(await timedGroup('Bundle', () => measureBundle(resolve(serverRoot, 'dist/client'))));
  }

  server = await startServerProcess({ cwd: serverRoot });
  log(`server at ${server.url}`);
  browser = await launchBrowser();
  const context: BenchContext = {
    server,
    serverRoot,
    api: new RunboardApi(server.url),
    browser,
    durations: benchDurations(quick),
    log,
  };
  for (const { key, group, measure } of groups) {
    if (selected(key)) results.push(await timedGroup(group, () => measure(context)));
  }
  if (server.stderr().trim()) log(`server warnings:\n${server.stderr().trim().slice(-2_000)}`);
} finally {
  await browser?.close();
  await server?.stop();
}

const chromiumVersion = browser?.version() ?? 'unknown';
const paths = writeReport(REPORT_DIR, {
  generatedAt: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 1e9),
    node: process.version,
    chromium: chromiumVersion,
    platform: `${process.platform} ${process.arch}`,
  },
  quick,
  totalSeconds: (performance.now() - started) / 1000,
  groups: results,
});
log(`report: ${paths.markdown} and ${paths.json}`);
process.exitCode = results.some((result) => result.error) ? 1 : 0;
