import { loadavg } from 'node:os';
import type { Run } from '../shared/openai-types';
import { createSseParser } from '../shared/sse-parser';
import { DEFAULT_FEED_REPLAY_BYTES, DEFAULT_FEED_UNREAD_BYTES } from '../server/changes/change-feed';
import type { BenchContext } from './harness/bench-context';
import type { Figure } from './harness/figures';
import {
  startMonitoredServer,
  type MonitoredServer,
  type MonitorSample,
} from './harness/monitored-server-process';
import { round } from './harness/stats';
import { V1_HEADERS } from './harness/v1-headers';
import { openStalledReader, type StalledReader } from '../server/changes/test-support/stalled-reader';

const GROUP = 'Change feed under stalled readers';
const STALLED_READERS = 5;
const UPDATES = 300;
const INSTRUCTIONS_CHARACTERS = 200_000;
const MiB = 2 ** 20;
const LOOP_DELAY_P99_TARGET_MS = 50;
const SAMPLE_EVERY_MS = 50;

const HEADERS = V1_HEADERS;

/**
 * Five clients open /api/changes and never read (raw sockets, paused), one reads everything; then one run with
 * 200 KB instructions gets 300 metadata updates through /v1, each a change of about 200 KB. The same updates run
 * first on a fresh server without stalled readers: the stalled readers may cost at most their unread limits beside
 * that. The server (its own process, measuring itself) must keep its event loop responsive, drop the stalled
 * readers, and deliver every change to the reading one.
 */
export async function measureChangeFeedMemory(context: BenchContext): Promise<Figure[]> {
  context.log(
    `feed: ${UPDATES} updates of a run with ${INSTRUCTIONS_CHARACTERS / 1000} KB instructions, no stalled reader`,
  );
  const baseline = await updatesWithStalledReaders(0);
  context.log(`feed: the same with ${STALLED_READERS} stalled readers`);
  const stalled = await updatesWithStalledReaders(STALLED_READERS);
  const disconnected = stalled.drained.filter((outcome) => outcome.ended).length;
  const maxDrainedMb = Math.max(...stalled.drained.map((outcome) => outcome.bytes)) / MiB;
  const changeMb = (UPDATES * INSTRUCTIONS_CHARACTERS) / MiB;
  const unreadLimitsMb = (STALLED_READERS * DEFAULT_FEED_UNREAD_BYTES) / MiB;
  const load = loadavg()
    .map((value) => round(value))
    .join(' / ');
  return [
    {
      group: GROUP,
      name: `server memory growth, ${STALLED_READERS} stalled readers`,
      value: round(stalled.growthMb),
      unit: 'MB RSS',
      target: { comparison: '<=', value: round(baseline.growthMb + unreadLimitsMb) },
      detail:
        `peak RSS ${round(stalled.peakRssMb)} MB from ${round(stalled.before.rssMb)} MB; peak heap ` +
        `${round(stalled.peakHeapMb)} MB. Without stalled readers the same updates grew it by ` +
        `${round(baseline.growthMb)} MB (the run stored 300 times, the index, the ${DEFAULT_FEED_REPLAY_BYTES / MiB} ` +
        `MiB replay buffer). ${UPDATES} changes of ~200 KB: ${round(changeMb)} MB sent to each reader, ` +
        `${round(changeMb * (STALLED_READERS + 1))} MB in all`,
      notes:
        `Target: the growth without stalled readers + ${STALLED_READERS} × the unread limit ` +
        `(${DEFAULT_FEED_UNREAD_BYTES / MiB} MiB). RSS sampled every ${SAMPLE_EVERY_MS} ms over IPC. Before the ` +
        `byte bounds (count-based unread limit, a copy per reader) the same run grew the server by about 400 MB. ` +
        `Load average ${load}.`,
    },
    {
      group: GROUP,
      name: `server event-loop delay p99, ${STALLED_READERS} stalled readers`,
      value: round(stalled.after.loopDelayMs.p99),
      unit: 'ms',
      target: { comparison: '<=', value: LOOP_DELAY_P99_TARGET_MS },
      detail:
        `p50 ${round(stalled.after.loopDelayMs.p50)} ms, max ${round(stalled.after.loopDelayMs.max)} ms over the ` +
        `${UPDATES} updates (${round(stalled.elapsedMs / 1000)} s, one after another through /v1; ` +
        `monitorEventLoopDelay, 5 ms resolution); without stalled readers p99 ` +
        `${round(baseline.after.loopDelayMs.p99)} ms`,
    },
    {
      group: GROUP,
      name: 'stalled readers disconnected',
      value: disconnected,
      unit: `of ${STALLED_READERS}`,
      target: { comparison: '>=', value: STALLED_READERS },
      detail:
        `once resumed, the most a stalled reader could still read was ${round(maxDrainedMb)} MB (kernel socket ` +
        `buffers and what was in flight) of the ${round(changeMb)} MB sent; a reader not disconnected would read ` +
        `everything. The reading client got all ${UPDATES} changes.`,
    },
  ];
}

interface ScenarioOutcome {
  before: MonitorSample;
  after: MonitorSample;
  peakRssMb: number;
  peakHeapMb: number;
  growthMb: number;
  elapsedMs: number;
  drained: Array<{ bytes: number; ended: boolean }>;
}

/** A fresh server; `stalledCount` stalled readers and one reading client; the updates; then the readers drained. */
async function updatesWithStalledReaders(stalledCount: number): Promise<ScenarioOutcome> {
  const server = await startMonitoredServer();
  const stalled: StalledReader[] = [];
  try {
    const run = await bigRun(server);
    const live = openLiveReader(server);
    for (let index = 0; index < stalledCount; index++) stalled.push(await openStalledReader(server.url));
    await live.opened;
    await server.reset();
    const before = await server.sample();
    const samples: MonitorSample[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        samples.push(await server.sample());
        await new Promise((done) => setTimeout(done, SAMPLE_EVERY_MS));
      }
    })();
    const started = performance.now();
    for (let index = 0; index < UPDATES; index++) {
      const response = await fetch(`${server.url}/v1/threads/${run.thread_id}/runs/${run.id}`, {
        method: 'POST',
        headers: HEADERS,
        body: JSON.stringify({ metadata: { update: String(index) } }),
      });
      if (!response.ok) throw new Error(`update ${index}: ${response.status} ${await response.text()}`);
    }
    const elapsedMs = performance.now() - started;
    await live.received(UPDATES);
    sampling = false;
    await sampler;
    const after = await server.sample();
    const drained = await Promise.all(stalled.map((reader) => reader.drain()));
    const peakRssMb = samples.reduce((max, sample) => Math.max(max, sample.rssMb), after.rssMb);
    const peakHeapMb = samples.reduce((max, sample) => Math.max(max, sample.heapUsedMb), after.heapUsedMb);
    return {
      before,
      after,
      peakRssMb,
      peakHeapMb,
      growthMb: peakRssMb - before.rssMb,
      elapsedMs,
      drained,
    };
  } finally {
    for (const reader of stalled) reader.destroy();
    await server.stop();
  }
}

async function bigRun(server: MonitoredServer): Promise<Run> {
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const response = await fetch(`${server.url}/v1${path}`, {
      method: 'POST',
      headers: HEADERS,
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const assistant = await post<{ id: string }>('/assistants', { model: 'gpt-4o', name: 'Feed bench' });
  const thread = await post<{ id: string }>('/threads', {});
  return post<Run>(`/threads/${thread.id}/runs`, {
    assistant_id: assistant.id,
    instructions: 'i'.repeat(INSTRUCTIONS_CHARACTERS),
  });
}

interface LiveReader {
  opened: Promise<void>;
  /** Resolves once `count` run.updated events carrying the bench's metadata have arrived. */
  received(count: number): Promise<void>;
}

function openLiveReader(server: MonitoredServer): LiveReader {
  /** The distinct updates seen (a lifecycle change of the run carries the latest one again). */
  const seen = new Set<string>();
  let waiting = null as { count: number; done: () => void } | null;
  let opened!: () => void;
  const openedPromise = new Promise<void>((done) => (opened = done));
  void (async () => {
    const response = await fetch(`${server.url}/api/changes`, { headers: { accept: 'text/event-stream' } });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const parser = createSseParser();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      for (const block of parser.push(value)) {
        if (block.id !== undefined && block.data === undefined) opened();
        const update = /"update":"(\d+)"/.exec(block.data ?? '');
        if (block.event === 'run.updated' && update) seen.add(update[1]!);
      }
      if (waiting && seen.size >= waiting.count) waiting.done();
    }
  })();
  return {
    opened: openedPromise,
    received: (count) =>
      seen.size >= count
        ? Promise.resolve()
        : new Promise((done, fail) => {
            const timer = setTimeout(
              () => fail(new Error(`the reading client got ${seen.size} of ${count} changes`)),
              30_000,
            );
            waiting = {
              count,
              done: () => {
                clearTimeout(timer);
                done();
              },
            };
          }),
  };
}
