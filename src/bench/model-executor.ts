import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatCompletionRequest } from '../assistants-server/llm-executor/chat-types';
import { startScriptedChatServer } from '../assistants-server/llm-executor/test-support/scripted-chat-server';
import type { BenchContext } from './harness/bench-context';
import type { Figure } from './harness/figures';
import { processMemoryMb as rssMb } from './harness/process-memory';
import { startServerProcess, type ServerProcess } from './harness/server-process';
import { round, summarize } from './harness/stats';

const GROUP = 'Model executor';
const MODEL_LATENCY_MS = 200;
const CONCURRENT_RUNS = 200;
const ANSWER = 'The answer is forty-two, streamed in a few pieces.';

/**
 * Runs executed by a model that answers in 200 ms (the scripted chat-completions server, in the bench's process).
 * Overhead: one run (create → completed, seen by a 5 ms poll) against the same model request made directly,
 * interleaved pair by pair. Then 200 runs at once: throughput, the server's responsiveness meanwhile (a probe
 * request every 20 ms: what event-loop delay a client feels), and the server's resident memory.
 */
export async function measureModelExecutor(context: BenchContext): Promise<Figure[]> {
  const model = await startScriptedChatServer({
    fallback: () => ({ text: ANSWER, chunks: 5, delayMs: MODEL_LATENCY_MS }),
  });
  let server: ServerProcess | null = null;
  try {
    server = await startServerProcess({
      apiOnly: true,
      takenPorts: [context.server.port],
      env: {
        RUNBOARD_MODEL_BASE_URL: model.url,
        RUNBOARD_MODEL_API_KEY: 'sk-bench-model-key',
        RUNBOARD_MODEL_CONCURRENCY: String(CONCURRENT_RUNS),
      },
    });
    const api = jsonApi(server.url);
    const assistant = await api<{ id: string }>('POST', '/v1/assistants', {
      model: 'gpt-4o',
      instructions: 'Be brief.',
    });
    const figures: Figure[] = [];

    // Overhead per run.
    const samples = Math.max(8, Math.min(60, Math.round(context.durations.latencySamples / 20)));
    const direct: number[] = [];
    const viaRun: number[] = [];
    for (let index = 0; index < samples + 2; index++) {
      const directMs = await timedDirectCall(model.url);
      const runMs = await timedRun(api, assistant.id);
      if (index < 2) continue; // warm-up
      direct.push(directMs);
      viaRun.push(runMs);
    }
    const overhead = viaRun.map((ms, index) => ms - direct[index]!);
    const o = summarize(overhead);
    const d = summarize(direct);
    const r = summarize(viaRun);
    figures.push({
      group: GROUP,
      name: 'Overhead per run over calling the model directly, p50',
      value: round(o.p50 ?? 0),
      unit: 'ms',
      naive: { label: 'the model called directly, p50', value: round(d.p50 ?? 0) },
      detail:
        `p95 ${round(o.p95 ?? 0)} ms; run create → completed p50 ${round(r.p50 ?? 0)} ms, p95 ${round(r.p95 ?? 0)} ms; ` +
        `direct p95 ${round(d.p95 ?? 0)} ms; ${overhead.length} interleaved pairs; model answers in ${MODEL_LATENCY_MS} ms; ` +
        'the run is seen completed by a 5 ms poll, so up to 5 ms of the overhead is the poll',
    });

    // 200 runs at once.
    const rssBefore = rssMb(server.pid);
    const probes: number[] = [];
    let probing = true;
    const prober = (async () => {
      while (probing) {
        const started = performance.now();
        await fetch(`${server!.url}/api/config`).then((response) => response.arrayBuffer());
        probes.push(performance.now() - started);
        await sleep(20);
      }
    })();
    let peakRss = rssBefore ?? 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(server!.pid) ?? 0)), 100);
    const started = performance.now();
    const created = await Promise.all(
      Array.from({ length: CONCURRENT_RUNS }, () =>
        api<{ id: string; thread_id: string }>('POST', '/v1/threads/runs', {
          assistant_id: assistant.id,
          thread: { messages: [{ role: 'user', content: 'What is the answer?' }] },
        }),
      ),
    );
    const statuses = await Promise.all(created.map((run) => waitUntilEnded(api, run, 50)));
    const wallMs = performance.now() - started;
    probing = false;
    clearInterval(sampler);
    await prober;
    const completed = statuses.filter((status) => status === 'completed').length;
    const p = summarize(probes);
    figures.push(
      {
        group: GROUP,
        name: `${CONCURRENT_RUNS} concurrent runs: throughput`,
        value: round((completed / wallMs) * 1000),
        unit: 'runs/s',
        detail: `${completed} of ${CONCURRENT_RUNS} completed in ${round(wallMs)} ms (RUNBOARD_MODEL_CONCURRENCY=${CONCURRENT_RUNS}; each run polled every 50 ms)`,
      },
      {
        group: GROUP,
        name: `${CONCURRENT_RUNS} concurrent runs: server responsiveness (probe request), p99`,
        value: round(p.p99 ?? 0),
        unit: 'ms',
        detail: `GET /api/config every 20 ms during the burst: p50 ${round(p.p50 ?? 0)} ms, max ${round(p.max ?? 0)} ms, ${p.count} probes (the event-loop delay a client feels)`,
      },
      {
        group: GROUP,
        name: `${CONCURRENT_RUNS} concurrent runs: server memory (peak RSS)`,
        value: round(peakRss),
        unit: 'MB',
        detail: `RSS before the burst ${round(rssBefore ?? 0)} MB, sampled every 100 ms from /proc`,
      },
    );
    return figures;
  } finally {
    await server?.stop();
    await model.close();
  }
}

type Api = <T>(method: string, path: string, body?: unknown) => Promise<T>;

function jsonApi(base: string): Api {
  return async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
}

async function timedDirectCall(baseUrl: string): Promise<number> {
  const request: ChatCompletionRequest = {
    model: 'gpt-4o',
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'What is the answer?' },
    ],
    stream: true,
    stream_options: { include_usage: true },
  };
  const started = performance.now();
  const response = await fetch(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  await response.text();
  return performance.now() - started;
}

async function timedRun(api: Api, assistantId: string): Promise<number> {
  const started = performance.now();
  const run = await api<{ id: string; thread_id: string }>('POST', '/v1/threads/runs', {
    assistant_id: assistantId,
    thread: { messages: [{ role: 'user', content: 'What is the answer?' }] },
  });
  const status = await waitUntilEnded(api, run, 5);
  if (status !== 'completed') throw new Error(`bench run ended ${status}`);
  return performance.now() - started;
}

async function waitUntilEnded(
  api: Api,
  run: { id: string; thread_id: string },
  intervalMs: number,
): Promise<string> {
  for (;;) {
    const current = await api<{ status: string }>('GET', `/v1/threads/${run.thread_id}/runs/${run.id}`);
    if (!['queued', 'in_progress', 'cancelling'].includes(current.status)) return current.status;
    await sleep(intervalMs);
  }
}
