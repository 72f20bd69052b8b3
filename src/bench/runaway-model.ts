import { setTimeout as sleep } from 'node:timers/promises';
import type { ScriptedReply } from '../assistants-server/llm-executor/test-support/scripted-chat-server';
import type { Run } from '../shared/openai-types';
import type { BenchContext } from './harness/bench-context';
import type { Figure } from './harness/figures';
import { startMonitoredServer, type MonitorSample } from './harness/monitored-server-process';
import { RunboardApi } from './harness/runboard-api';
import { startScriptedModelProcess } from './harness/scripted-model-process';
import { round, summarize } from './harness/stats';

const GROUP = 'Model executor under a runaway model';
const RUNS = 5;
const ENDED = ['completed', 'failed', 'incomplete', 'cancelled', 'expired', 'requires_action'];

/** Budgets (issue 20): what a runaway model may cost the server while the bounds end its runs. */
const LOOP_DELAY_P99_MS = 50;
const PROBE_P99_MS = 100;
const RSS_GROWTH_MB = 64;

const SCENARIOS: Array<{ name: string; reply: ScriptedReply; expected: string }> = [
  // Never stops streaming: cut at RUNBOARD_MODEL_MAX_ANSWER_BYTES (1 MiB), the run ends incomplete.
  { name: 'endless answer', reply: { endless: 'runaway text that never stops ' }, expected: 'incomplete' },
  // One line that never ends: over RUNBOARD_MODEL_MAX_LINE_BYTES (1 MiB) the call fails; retried 3 times, then failed.
  { name: 'endless line', reply: { endlessLine: true }, expected: 'failed' },
];

/**
 * The real server in its own process (it reports its event-loop delay and memory), its runs executed by a model
 * that misbehaves as fast as loopback allows: 5 runs at once per scenario, each until the server's bounds end it.
 * Meanwhile a probe request every 20 ms measures what a client feels.
 */
export async function measureRunawayModel(context: BenchContext): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const scenario of SCENARIOS) {
    context.log(`${GROUP}: ${scenario.name}`);
    figures.push(...(await measureScenario(scenario)));
  }
  return figures;
}

async function measureScenario(scenario: (typeof SCENARIOS)[number]): Promise<Figure[]> {
  const model = await startScriptedModelProcess(scenario.reply);
  const server = await startMonitoredServer({
    RUNBOARD_MODEL_BASE_URL: model.url,
    RUNBOARD_MODEL_API_KEY: 'sk-bench-runaway-key',
    RUNBOARD_MODEL_CONCURRENCY: String(RUNS),
  }).catch(async (error: unknown) => {
    await model.stop();
    throw error;
  });
  try {
    const api = new RunboardApi(server.url);
    const assistant = await api.createAssistant({ model: 'gpt-4o' });
    const figures: Figure[] = [];
    await server.reset();
    const before = await server.sample();
    let peak: MonitorSample = before;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        // A sample the loaded server did not answer in time is skipped, not fatal.
        const sample = await server.sample().catch(() => null);
        if (sample && sample.rssMb > peak.rssMb) peak = sample;
        await sleep(100);
      }
    })();
    const probes: number[] = [];
    const prober = (async () => {
      while (sampling) {
        const started = performance.now();
        await fetch(`${server.url}/api/config`).then((response) => response.arrayBuffer());
        probes.push(performance.now() - started);
        await sleep(20);
      }
    })();
    const started = performance.now();
    const runs = await Promise.all(
      Array.from({ length: RUNS }, async () => {
        const thread = await api.createThread();
        return api.createRun(thread.id, { assistant_id: assistant.id });
      }),
    );
    const ended = await Promise.all(runs.map((run) => waitUntilEnded(api, run)));
    const wallMs = performance.now() - started;
    sampling = false;
    await Promise.all([sampler, prober]);
    const after = await server.sample();
    const statuses = ended.map((run) => run.status);
    const p = summarize(probes);
    const label = `${scenario.name}, ${RUNS} runs at once`;
    figures.push(
      {
        group: GROUP,
        name: `${label}: event-loop delay, p99`,
        value: round(after.loopDelayMs.p99),
        unit: 'ms',
        target: { comparison: '<=', value: LOOP_DELAY_P99_MS },
        detail: `p50 ${round(after.loopDelayMs.p50)} ms, max ${round(after.loopDelayMs.max)} ms (monitorEventLoopDelay in the server, 5 ms resolution)`,
      },
      {
        group: GROUP,
        name: `${label}: probe request, p99`,
        value: round(p.p99 ?? 0),
        unit: 'ms',
        target: { comparison: '<=', value: PROBE_P99_MS },
        detail: `GET /api/config every 20 ms: p50 ${round(p.p50 ?? 0)} ms, max ${round(p.max ?? 0)} ms, ${p.count} probes`,
      },
      {
        group: GROUP,
        name: `${label}: server memory growth (peak RSS over the start)`,
        value: round(peak.rssMb - before.rssMb),
        unit: 'MB',
        target: { comparison: '<=', value: RSS_GROWTH_MB },
        detail: `RSS ${round(before.rssMb)} MB before, peak ${round(peak.rssMb)} MB (heap ${round(peak.heapUsedMb)} MB), ${round(after.rssMb)} MB after; sampled every 100 ms`,
      },
      {
        group: GROUP,
        name: `${label}: until every run ended`,
        value: round(wallMs),
        unit: 'ms',
        detail:
          `statuses: ${statuses.join(', ')} (expected ${scenario.expected}); ` +
          `${await model.abandoned()} answers left unread by the server`,
        ...(statuses.every((status) => status === scenario.expected)
          ? {}
          : { notes: `Expected every run ${scenario.expected}, got ${statuses.join(', ')}.` }),
      },
    );
    return figures;
  } finally {
    await server.stop();
    await model.stop();
  }
}

async function waitUntilEnded(api: RunboardApi, run: Run): Promise<Run> {
  for (;;) {
    const current = await api.getRun(run.thread_id, run.id);
    if (ENDED.includes(current.status)) return current;
    await sleep(100);
  }
}
