import { setTimeout as sleep } from 'node:timers/promises';
import type { Run } from '../shared/openai-types';
import type { BenchContext } from './harness/bench-context';
import type { Figure } from './harness/figures';
import { round, summarize } from './harness/stats';
import { V1_HEADERS } from './harness/v1-headers';

const GROUP = 'Load';
const POLLERS = 4;
const POLL_EVERY_MS = 1_000;
const CREATE_EVERY_MS = 500;
const FAILED_TARGET_PERCENT = 1;

interface Outcome {
  kind: 'poll list' | 'poll run' | 'create';
  ms: number;
  ok: boolean;
}

/**
 * Issue 6's load check on loopback: four dashboards polling (the head page of a 1,000-run thread and the newest run
 * each second) while one client creates a thread and run twice a second, for a bounded minute.
 */
export async function measureLoad(context: BenchContext): Promise<Figure[]> {
  const { url } = context.server;
  const assistant = await context.api.createAssistant({ model: 'gpt-4o', name: 'Load assistant' });
  const polled = await context.api.seedRuns(1_000);
  const outcomes: Outcome[] = [];
  let newestCreated: Run | null = null;
  const deadline = performance.now() + context.durations.loadMs;

  const timed = async (kind: Outcome['kind'], request: () => Promise<Response>): Promise<string | null> => {
    const started = performance.now();
    try {
      const response = await request();
      const body = await response.text();
      outcomes.push({ kind, ms: performance.now() - started, ok: response.ok });
      return response.ok ? body : null;
    } catch {
      outcomes.push({ kind, ms: performance.now() - started, ok: false });
      return null;
    }
  };

  const poller = async (offset: number) => {
    await sleep(offset);
    while (performance.now() < deadline) {
      const tick = performance.now();
      await timed('poll list', () =>
        fetch(`${url}/v1/threads/${polled.thread_id}/runs?limit=100`, { headers: V1_HEADERS }),
      );
      const run = newestCreated;
      if (run)
        await timed('poll run', () =>
          fetch(`${url}/v1/threads/${run.thread_id}/runs/${run.id}`, { headers: V1_HEADERS }),
        );
      await sleep(Math.max(0, POLL_EVERY_MS - (performance.now() - tick)));
    }
  };
  const creator = async () => {
    while (performance.now() < deadline) {
      const tick = performance.now();
      const body = await timed('create', () =>
        fetch(`${url}/v1/threads/runs`, {
          method: 'POST',
          headers: V1_HEADERS,
          body: JSON.stringify({
            assistant_id: assistant.id,
            thread: { messages: [{ role: 'user', content: 'Hello' }] },
          }),
        }),
      );
      if (body) newestCreated = JSON.parse(body) as Run;
      await sleep(Math.max(0, CREATE_EVERY_MS - (performance.now() - tick)));
    }
  };
  await Promise.all([
    ...Array.from({ length: POLLERS }, (_, index) => poller((index * POLL_EVERY_MS) / POLLERS)),
    creator(),
  ]);

  const failed = outcomes.filter((outcome) => !outcome.ok).length;
  const all = summarize(outcomes.map((outcome) => outcome.ms));
  const seconds = context.durations.loadMs / 1000;
  const figures: Figure[] = [
    {
      group: GROUP,
      name: 'failed requests',
      value: outcomes.length ? round((failed / outcomes.length) * 100) : null,
      unit: '%',
      target: { comparison: '<=', value: FAILED_TARGET_PERCENT },
      detail: `${failed} of ${outcomes.length} requests in ${seconds} s (${POLLERS} pollers at 1/s, 1 creator at ${1000 / CREATE_EVERY_MS}/s)`,
    },
    {
      group: GROUP,
      name: 'request latency, p95 (all requests)',
      value: round(all.p95 ?? 0),
      unit: 'ms',
      detail: `p50 ${round(all.p50 ?? 0)} ms, p99 ${round(all.p99 ?? 0)} ms, max ${round(all.max ?? 0)} ms`,
    },
  ];
  for (const kind of ['poll list', 'poll run', 'create'] as const) {
    const samples = summarize(
      outcomes.filter((outcome) => outcome.kind === kind).map((outcome) => outcome.ms),
    );
    figures.push({
      group: GROUP,
      name: `${kind} latency, p95`,
      value: samples.p95 === null ? null : round(samples.p95),
      unit: 'ms',
      detail: `p50 ${round(samples.p50 ?? 0)} ms over ${samples.count} requests`,
    });
  }
  return figures;
}
