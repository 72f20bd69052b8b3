import type { BenchContext } from './harness/bench-context';
import type { Figure } from './harness/figures';
import { startServerProcess } from './harness/server-process';
import { round, summarize } from './harness/stats';

const GROUP = 'Proxy';

/**
 * A second server in proxy mode (OPENAI_BASE_URL = the emulator server's /v1) and the same get_run and list calls
 * sent to both, interleaved one by one so both see the same machine load. The difference is what the proxy hop
 * costs: one more loopback request, header filtering, key masking.
 */
export async function measureProxyOverhead(context: BenchContext): Promise<Figure[]> {
  const thread = await context.api.seedRuns(200);
  const newest = (await context.api.listRuns(thread.thread_id, { limit: 1 })).data[0]!;
  const proxy = await startServerProcess({
    apiOnly: true,
    takenPorts: [context.server.port],
    env: { OPENAI_BASE_URL: `${context.server.url}/v1`, OPENAI_API_KEY: 'sk-bench-proxy-key' },
  });
  try {
    const calls = [
      { label: 'get_run', path: `/v1/threads/${thread.thread_id}/runs/${newest.id}` },
      { label: 'list runs (limit 100)', path: `/v1/threads/${thread.thread_id}/runs?limit=100` },
    ];
    const figures: Figure[] = [];
    for (const call of calls) {
      const direct: number[] = [];
      const proxied: number[] = [];
      const samples = Math.min(500, context.durations.latencySamples);
      const deadline = performance.now() + context.durations.latencyLoopMs * 2;
      for (let index = 0; index < samples + 10 && performance.now() < deadline; index++) {
        const directMs = await timedGet(`${context.server.url}${call.path}`);
        const proxiedMs = await timedGet(`${proxy.url}${call.path}`);
        if (index < 10) continue; // warm-up
        direct.push(directMs);
        proxied.push(proxiedMs);
      }
      const directSummary = summarize(direct);
      const proxiedSummary = summarize(proxied);
      figures.push({
        group: GROUP,
        name: `${call.label} through the proxy, p50`,
        value: round(proxiedSummary.p50 ?? 0),
        unit: 'ms',
        naive: { label: 'emulator called directly', value: round(directSummary.p50 ?? 0) },
        detail:
          `overhead p50 +${round((proxiedSummary.p50 ?? 0) - (directSummary.p50 ?? 0))} ms, ` +
          `p95 ${round(proxiedSummary.p95 ?? 0)} ms vs ${round(directSummary.p95 ?? 0)} ms direct; ${proxied.length} interleaved pairs`,
      });
    }
    return figures;
  } finally {
    await proxy.stop();
  }
}

async function timedGet(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, {
    headers: { authorization: 'Bearer sk-bench', 'openai-beta': 'assistants=v2' },
  });
  const body = await response.text();
  const elapsed = performance.now() - started;
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${body.slice(0, 200)}`);
  return elapsed;
}
