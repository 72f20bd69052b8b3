import type { Page, Request } from '@playwright/test';
import type { BenchContext } from './harness/bench-context';
import { openDashboard, type DashboardPage } from './harness/dashboard-page';
import type { StatusSighting } from './harness/page-probes';
import type { Figure } from './harness/figures';
import { RunboardApi } from './harness/runboard-api';
import { startServerProcess, type ServerProcess } from './harness/server-process';
import { round, summarize } from './harness/stats';

const GROUP = 'Polling';
const IDLE_THREAD_RUNS = 1_000;
const NAIVE_POLL_MS = 2_000;
/** Servers of 1, 50 and 500 threads: the idle cost must not grow with them (issue 13). */
const THREAD_SCALES = [
  { threads: 1, runs: IDLE_THREAD_RUNS },
  { threads: 50, runs: 50 * 20 },
  { threads: 500, runs: 500 * 20 },
];

const IDLE_NOTE =
  'Expected by design: nothing. Every query is kept current by the one change stream (GET /api/changes, opened once ' +
  'and held), and polls only while that stream is down; /api/config only on focus. Any route in the list above is a ' +
  'regression (see src/client/api/run-queries.test.ts).';

interface Traffic {
  requests: number;
  bytes: number;
  byRoute: Map<string, number>;
}

/**
 * Requests per minute the open dashboard sends while nothing changes, with 1, 50 and 500 threads on the server (beside
 * a naive client polling the full list every 2 s), for an active thread and a hidden tab; then how long a change made
 * through the API takes to show on screen. Each scenario gets its own fresh server, so the count is the dashboard's
 * whole traffic for that server's threads.
 */
export async function measurePolling(context: BenchContext): Promise<Figure[]> {
  const figures: Figure[] = [];
  const { durations } = context;

  for (const scale of THREAD_SCALES) {
    await withServer(context, async (server, api) => {
      const seeded = await api.seedRuns(scale.runs, undefined, scale.threads > 1 ? scale.threads : undefined);
      const threadId = seeded.thread_id;
      const dashboard = await openDashboard(context.browser, server.url, threadId);
      try {
        // Let the first reads and the stream settle before counting.
        await dashboard.page.waitForTimeout(2_000);
        context.log(`polling: idle, ${scale.threads} thread(s), for ${durations.idlePollingMs / 1000} s`);
        const idle = await countTraffic(dashboard.page, server.url, durations.idlePollingMs);
        const perMin = perMinute(idle.requests, durations.idlePollingMs);
        const label = `${scale.threads} thread${scale.threads === 1 ? '' : 's'}`;
        const naive =
          scale.threads === 1
            ? await (async () => {
                context.log(
                  `polling: naive full-list polling every 2 s for ${durations.naivePollingMs / 1000} s`,
                );
                return naivePolling(dashboard, server.url, threadId, durations.naivePollingMs);
              })()
            : null;
        figures.push({
          group: GROUP,
          name: `idle, ${label} on the server: requests per minute`,
          value: perMin,
          unit: 'requests/min',
          target: { comparison: '<=', value: 6 },
          ...(naive
            ? {
                naive: {
                  label: 'fixed 2 s polling of the full list',
                  value: perMinute(naive.requests, durations.naivePollingMs),
                },
              }
            : {}),
          ...(perMin > 6 ? { notes: IDLE_NOTE } : {}),
          detail:
            `${idle.requests} requests in ${durations.idlePollingMs / 1000} s, plus the change stream held open ` +
            `(${dashboard.changeStreams()} opened since the page loaded); by route: ${routes(idle)}; ` +
            `${scale.runs.toLocaleString('en')} ended runs over ${label}, all listed in the sidebar, one thread open`,
        });
        if (naive) {
          figures.push({
            group: GROUP,
            name: 'idle thread: bytes per minute',
            value: Math.round(perMinute(idle.bytes, durations.idlePollingMs) / 1000),
            unit: 'KB/min',
            naive: {
              label: 'fixed 2 s polling of the full list',
              value: Math.round(perMinute(naive.bytes, durations.naivePollingMs) / 1000),
            },
            detail:
              'response headers + bodies as Chromium received them (uncompressed JSON); the stream sends a ' +
              'heartbeat comment every 15 s, not counted',
          });
        }
      } finally {
        await dashboard.close();
      }
    });
  }

  await withServer(context, async (server, api) => {
    const assistant = await api.createAssistant({ model: 'gpt-4o', name: 'Polling bench' });
    const thread = await api.createThread();
    // A `slow` run stays in_progress for 60 s: the thread is active for the whole window.
    const slowRun = () =>
      api.createRun(thread.id, { assistant_id: assistant.id, metadata: { runboard_scenario: 'slow' } });
    await slowRun();
    const dashboard = await openDashboard(context.browser, server.url, thread.id);
    try {
      await dashboard.page.waitForTimeout(1_500);
      context.log(`polling: active thread for ${durations.activePollingMs / 1000} s`);
      const active = await countTraffic(dashboard.page, server.url, durations.activePollingMs);
      figures.push({
        group: GROUP,
        name: 'active thread: requests per minute',
        value: perMinute(active.requests, durations.activePollingMs),
        unit: 'requests/min',
        naive: { label: 'fixed 2 s polling of the full list', value: 30 },
        detail: `${active.requests} requests in ${durations.activePollingMs / 1000} s; by route: ${routes(active)}; one run in_progress (its changes arrive through the change stream); no target in issue 7. The naive client sends 30/min here only because this thread has one page of runs, and shows changes up to 2 s late`,
      });

      context.log(`polling: hidden tab for ${durations.hiddenPollingMs / 1000} s`);
      const hidden = await hiddenTraffic(dashboard, server.url, durations.hiddenPollingMs);
      figures.push({
        group: GROUP,
        name: 'hidden tab (active thread): requests per minute',
        value:
          hidden.visibility === 'hidden'
            ? perMinute(hidden.traffic.requests, durations.hiddenPollingMs)
            : null,
        unit: 'requests/min',
        target: { comparison: '<=', value: 0 },
        detail:
          `${hidden.traffic.requests} requests in ${durations.hiddenPollingMs / 1000} s after the tab was hidden; ` +
          'headless Chromium never hides a tab (behind another tab, minimized or frozen it stays visible), so ' +
          `document.visibilityState was overridden to '${hidden.visibility}' and visibilitychange dispatched; by route: ${routes(hidden.traffic)}`,
      });

      context.log(`polling: ${durations.statusChanges} status-change rounds`);
      const latencies = await statusChangeLatency(
        dashboard.page,
        api,
        thread.id,
        slowRun,
        durations.statusChanges,
      );
      const summary = summarize(latencies.map((sample) => sample.ms));
      figures.push({
        group: GROUP,
        name: 'change made through the API → on screen, p95',
        value: summary.p95 === null ? null : round(summary.p95),
        unit: 'ms',
        target: { comparison: '<=', value: 250 },
        detail:
          `p50 ${round(summary.p50 ?? 0)} ms, max ${round(summary.max ?? 0)} ms over ${summary.count} changes ` +
          `(${transitionsText(latencies)}); measured from the change's time at the server (the cancel request's send ` +
          "time, or a scheduled transition's due time) to the frame after the row's status attribute changed",
      });
    } finally {
      await dashboard.close();
    }
  });
  return figures;
}

async function withServer(
  context: BenchContext,
  scenario: (server: ServerProcess, api: RunboardApi) => Promise<void>,
) {
  const server = await startServerProcess({ takenPorts: [context.server.port], cwd: context.serverRoot });
  try {
    await scenario(server, new RunboardApi(server.url));
  } finally {
    await server.stop();
  }
}

function perMinute(count: number, windowMs: number): number {
  return round((count * 60_000) / windowMs);
}

function routes(traffic: Traffic): string {
  if (traffic.byRoute.size === 0) return 'none';
  return [...traffic.byRoute].map(([route, count]) => `${route} ×${count}`).join(', ');
}

/** The path with ids replaced, and the page size when there is one (limit=100: the table; limit=20: the sidebar). */
function routeOf(url: string): string {
  const parsed = new URL(url);
  const path = parsed.pathname.replace(/\/(thread|run|asst|msg|step)_[A-Za-z0-9]+/g, '/{$1_id}');
  const limit = parsed.searchParams.get('limit');
  return limit ? `${path}?limit=${limit}` : path;
}

/** Counts the API requests (/v1, /api) the page sends to `origin` during `windowMs`, with their bytes. */
async function countTraffic(
  page: Page,
  origin: string,
  windowMs: number,
  during?: () => Promise<void>,
): Promise<Traffic> {
  const traffic: Traffic = { requests: 0, bytes: 0, byRoute: new Map() };
  const sizes: Array<Promise<void>> = [];
  const onRequest = (request: Request) => {
    const url = request.url();
    if (!url.startsWith(origin) || !/^\/(v1|api)\//.test(new URL(url).pathname)) return;
    traffic.requests++;
    const route = routeOf(url);
    traffic.byRoute.set(route, (traffic.byRoute.get(route) ?? 0) + 1);
  };
  const onFinished = (request: Request) => {
    if (!request.url().startsWith(origin)) return;
    sizes.push(
      request.sizes().then(
        (size) => {
          traffic.bytes += size.responseBodySize + size.responseHeadersSize;
        },
        () => undefined,
      ),
    );
  };
  page.on('request', onRequest);
  page.on('requestfinished', onFinished);
  try {
    if (during) await during();
    await page.waitForTimeout(windowMs);
  } finally {
    page.off('request', onRequest);
    page.off('requestfinished', onFinished);
  }
  await Promise.all(sizes);
  return traffic;
}

/** A naive client in a second tab of the same origin: every 2 s, every page of the thread's runs. */
async function naivePolling(
  dashboard: DashboardPage,
  origin: string,
  threadId: string,
  windowMs: number,
): Promise<Traffic> {
  const naivePage = await dashboard.context.newPage();
  try {
    await naivePage.goto(`${origin}/api/config`);
    const poll = async () =>
      naivePage.evaluate(
        ({ threadId, everyMs, windowMs }) => {
          const fetchAll = async () => {
            let after = '';
            for (;;) {
              const response = await fetch(
                `/v1/threads/${threadId}/runs?limit=100${after ? `&after=${after}` : ''}`,
              );
              const page = (await response.json()) as { has_more: boolean; last_id: string | null };
              if (!page.has_more || !page.last_id) return;
              after = page.last_id;
            }
          };
          return new Promise<void>((resolve) => {
            void fetchAll();
            const timer = setInterval(() => void fetchAll(), everyMs);
            setTimeout(() => {
              clearInterval(timer);
              resolve();
            }, windowMs - 50);
          });
        },
        { threadId, everyMs: NAIVE_POLL_MS, windowMs },
      );
    // The dashboard tab is hidden while the naive tab is in front: only the naive tab's traffic is counted.
    return await countTraffic(naivePage, origin, 0, poll);
  } finally {
    await naivePage.close();
    await dashboard.page.bringToFront();
  }
}

/**
 * Hides the dashboard tab. Headless Chromium (156 here) keeps `document.visibilityState` 'visible' for a tab behind
 * another one, in a minimized window (CDP Browser.setWindowBounds) and when frozen (Page.setWebLifecycleState), so the
 * page is told it is hidden the way a browser tells it: visibilityState and hidden report hidden and a
 * visibilitychange event fires (React Query's focus manager and the polling policy both read exactly these).
 */
async function hiddenTraffic(dashboard: DashboardPage, origin: string, windowMs: number) {
  const setHidden = (hidden: boolean) =>
    dashboard.page.evaluate((hidden) => {
      if (hidden) {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      } else {
        Reflect.deleteProperty(document, 'visibilityState');
        Reflect.deleteProperty(document, 'hidden');
      }
      document.dispatchEvent(new Event('visibilitychange'));
      return document.visibilityState;
    }, hidden);
  const visibility = await setHidden(true);
  try {
    // A request already in flight may still finish: give it a second before counting.
    await dashboard.page.waitForTimeout(1_000);
    const traffic = await countTraffic(dashboard.page, origin, windowMs);
    return { visibility, traffic };
  } finally {
    await setHidden(false);
  }
}

interface LatencySample {
  transition: string;
  ms: number;
}

/**
 * Rounds of: a `slow` run is created (queued → in_progress after 1 s, a scheduled transition), then cancelled by a
 * request (→ cancelling at once), which the emulator completes 1 s later (→ cancelled). Each change's time at the
 * server is compared with when the page painted it. The run's first appearance is not counted: a new run in an
 * idle thread is found by the slower idle poll, which is a different figure.
 */
async function statusChangeLatency(
  page: Page,
  api: RunboardApi,
  threadId: string,
  createSlowRun: () => Promise<{ id: string }>,
  rounds: number,
): Promise<LatencySample[]> {
  const samples: LatencySample[] = [];
  /** When the page first painted the run in one of `statuses` (polls can skip a status that lasts under a poll). */
  const sighting = async (runId: string, ...statuses: string[]) => {
    const handle = await page.waitForFunction(
      ({ runId, statuses }) =>
        window.__bench.statusSightings.find(
          (seen) => seen.runId === runId && statuses.includes(seen.status),
        ) ?? null,
      { runId, statuses },
      { timeout: 30_000, polling: 50 },
    );
    return (await handle.jsonValue()) as StatusSighting;
  };
  // The run left over from the active-thread window.
  const leftover = (await api.listRuns(threadId, { limit: 1 })).data[0];
  if (leftover && ['queued', 'in_progress', 'requires_action'].includes(leftover.status)) {
    await api.cancelRun(threadId, leftover.id);
    await api.waitForRun(threadId, leftover.id, (run) => run.status === 'cancelled');
  }
  // The next run is created as soon as the server has cancelled the last one, before the page shows it.
  let cancelled: { runId: string; cancelSent: number; cancellingShown: boolean } | null = null;
  const cancelledOnScreen = async ({ runId, cancelSent, cancellingShown }: NonNullable<typeof cancelled>) => {
    const seen = await sighting(runId, 'cancelled');
    // Only a change the page could see: when it never showed cancelling, cancelled was counted as the cancel itself.
    if (cancellingShown)
      samples.push({ transition: 'cancelling→cancelled', ms: seen.at - (cancelSent + 1_000) });
  };
  for (let index = 0; index < rounds; index++) {
    const createdSent = Date.now();
    const run = await createSlowRun();
    if (cancelled) await cancelledOnScreen(cancelled);
    const startsAt = createdSent + 1_000;
    const started = await sighting(run.id, 'in_progress');
    // Counted only when the page showed the run queued first: otherwise this was the run's discovery, not a change.
    const queuedSeen = await page.evaluate(
      (runId) =>
        window.__bench.statusSightings.some((seen) => seen.runId === runId && seen.status === 'queued'),
      run.id,
    );
    if (queuedSeen) samples.push({ transition: 'queued→in_progress', ms: started.at - startsAt });

    // A random pause, so the cancel lands at no fixed point of the page's work.
    await page.waitForTimeout(Math.random() * 1_000);
    const cancelSent = Date.now();
    await api.cancelRun(threadId, run.id);
    const shown = await sighting(run.id, 'cancelling', 'cancelled');
    samples.push({ transition: 'cancel request→cancelling (or cancelled)', ms: shown.at - cancelSent });
    await api.waitForRun(threadId, run.id, (current) => current.status === 'cancelled');
    cancelled = { runId: run.id, cancelSent, cancellingShown: shown.status === 'cancelling' };
  }
  if (cancelled) await cancelledOnScreen(cancelled);
  return samples;
}

function transitionsText(samples: LatencySample[]): string {
  const kinds = [...new Set(samples.map((sample) => sample.transition))];
  return kinds
    .map((kind) => {
      const of = summarize(samples.filter((sample) => sample.transition === kind).map((sample) => sample.ms));
      return `${kind}: p50 ${round(of.p50 ?? 0)} ms, max ${round(of.max ?? 0)} ms`;
    })
    .join('; ');
}
