import type { Browser, BrowserContext, CDPSession, Page } from '@playwright/test';
import { installPageProbes } from './page-probes';

export const VIEWPORT = { width: 1440, height: 900 } as const;

export const RUN_ROW_SELECTOR = '[role="grid"][aria-label="Runs"] [role="row"][data-run-id]';

export interface DashboardPage {
  context: BrowserContext;
  page: Page;
  /** How many change streams (GET /api/changes) the page has opened since it loaded. */
  changeStreams(): number;
  close(): Promise<void>;
}

/** A fresh browser context (empty cache and storage) on the dashboard, showing `threadId`, with the probes installed. */
export async function openDashboard(
  browser: Browser,
  baseUrl: string,
  threadId: string,
): Promise<DashboardPage> {
  const context = await browser.newContext({ viewport: VIEWPORT, baseURL: baseUrl });
  // tsx compiles the bench with esbuild's keepNames, which wraps named functions in `__name(...)`: functions the bench
  // serializes into pages need that helper there too.
  await context.addInitScript({ content: 'globalThis.__name = (target) => target;' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.addInitScript(installPageProbes);
  let streams = 0;
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/changes') streams++;
  });
  await page.goto(`/?thread=${encodeURIComponent(threadId)}`);
  await page.locator(RUN_ROW_SELECTOR).first().waitFor({ timeout: 30_000 });
  return {
    context,
    page,
    changeStreams: () => streams,
    close: async () => {
      await context.close();
      if (errors.length > 0) throw new Error(`The dashboard threw: ${errors.slice(0, 3).join('; ')}`);
    },
  };
}

/** How many runs the table says it has loaded ("100 of 10,000 runs loaded", "10,000 runs loaded"). */
export async function loadedRunCount(page: Page): Promise<number> {
  const text = await page.evaluate(() => window.__bench.loadedStatus());
  const match = /(\d[\d,]*)\s+(?:of\s+[\d,]+\s+)?(?:matching\s+)?runs?\s+loaded/.exec(text);
  if (!match) throw new Error(`Cannot read the loaded run count from '${text}'.`);
  return Number(match[1]!.replace(/,/g, ''));
}

/**
 * Scrolls the table to its end until `target` runs are loaded (the table fetches the next page of 100 near the end),
 * bounded by `timeoutMs`. Returns how many are loaded.
 */
export async function scrollUntilLoaded(page: Page, target: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let loaded = await loadedRunCount(page);
  while (loaded < target && Date.now() < deadline) {
    await page.evaluate(() => {
      const element = window.__bench.scroller();
      element.scrollTop = element.scrollHeight;
    });
    await page
      .waitForFunction(
        (before) => {
          const first = /(\d[\d,]*)/.exec(window.__bench.loadedStatus());
          return first !== null && Number(first[1]!.replace(/,/g, '')) > before;
        },
        loaded,
        { timeout: 5_000 },
      )
      .catch(() => undefined);
    loaded = await loadedRunCount(page);
  }
  await page.evaluate(() => {
    window.__bench.scroller().scrollTop = 0;
  });
  return loaded;
}

/** Chromium's own counters (JS heap, DOM nodes) after a forced garbage collection. */
export async function pageMetrics(cdp: CDPSession): Promise<{ jsHeapMb: number; domNodes: number }> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const value = (name: string) => metrics.find((metric) => metric.name === name)?.value ?? 0;
  return { jsHeapMb: Math.round((value('JSHeapUsedSize') / 1e6) * 10) / 10, domNodes: value('Nodes') };
}
