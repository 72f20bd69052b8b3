import type { Page } from '@playwright/test';
import type { Run } from '../shared/openai-types';
import type { BenchContext } from './harness/bench-context';
import { openDashboard, pageMetrics, RUN_ROW_SELECTOR, scrollUntilLoaded } from './harness/dashboard-page';
import type { Figure } from './harness/figures';
import { buildAndMeasureNaiveTable, removeNaiveTable, type NaiveRow } from './harness/naive-table';
import type { SettleResult } from './harness/page-probes';
import { percentile, round, summarize } from './harness/stats';

const GROUP = 'Dashboard at scale (10,000 runs)';
const THREAD_RUNS = 10_000;
const INTERACTION_TARGET_MS = 50;
/** Each interaction is repeated so its p50 is not one noisy sample on a shared 2-core machine. */
const INTERACTION_ROUNDS = 3;
const PANEL_CLICKS = 15;
const SCROLL_MS = 4_000;
const SCROLL_STEP_PX = 120;

/**
 * A thread of 10,000 runs in mixed statuses, in Chromium: cold load, then with all 10,000 runs loaded into the
 * table: rows in the DOM, sort, filter, click to panel, scroll frame times, memory. Each beside the same figure for
 * a plain 10,000-row table rendered in the same page.
 */
export async function measureDashboardScale(context: BenchContext): Promise<Figure[]> {
  const figures: Figure[] = [];
  const { thread_id: threadId } = await context.api.seedRuns(THREAD_RUNS);

  context.log(`dashboard: ${context.durations.coldLoads} cold loads`);
  figures.push(await coldLoad(context, threadId));

  const dashboard = await openDashboard(context.browser, context.server.url, threadId);
  try {
    const { page } = dashboard;
    const cdp = await dashboard.context.newCDPSession(page);
    context.log('dashboard: scrolling until 10,000 runs are loaded');
    const loadStarted = performance.now();
    const loaded = await scrollUntilLoaded(page, THREAD_RUNS, 120_000);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    if (loaded < THREAD_RUNS)
      throw new Error(`Only ${loaded} of ${THREAD_RUNS} runs loaded in the table within 120 s.`);
    await page.waitForTimeout(500);

    const rowsInDom = await page.locator(RUN_ROW_SELECTOR).count();
    const virtualized = await pageMetrics(cdp);

    context.log('dashboard: naive 10,000-row table in the same page');
    const allRuns = await context.api.listAllRuns(threadId);
    const naiveRows: NaiveRow[] = allRuns.map((run) => [
      run.id,
      run.status,
      run.assistant_id,
      run.model,
      run.created_at,
      (run.completed_at ?? run.failed_at ?? run.cancelled_at ?? run.created_at) -
        (run.started_at ?? run.created_at),
      run.usage?.total_tokens ?? 0,
      run.last_error?.code ?? run.incomplete_details?.reason ?? '',
    ]);
    const naive = await page.evaluate(buildAndMeasureNaiveTable, { rows: naiveRows, scrollMs: SCROLL_MS });
    const naiveMetrics = await pageMetrics(cdp);
    await page.evaluate(removeNaiveTable);
    await page.waitForTimeout(300);

    figures.push({
      group: GROUP,
      name: 'runs table rows in the DOM',
      value: rowsInDom,
      unit: 'rows',
      target: { comparison: '<=', value: 60 },
      naive: { label: 'plain table', value: naive.rows },
      detail: `${loaded.toLocaleString('en')} runs loaded in the table (by scrolling to the end: ${round(loadSeconds)} s, ${Math.ceil(loaded / 100)} pages of 100)`,
    });

    context.log('dashboard: counts, sort and id search against the thread itself');
    figures.push(await correctness(page, allRuns));

    context.log('dashboard: sort, filter, click to panel');
    const sorts = await measureSorts(page);
    figures.push(
      interactionFigure(
        'sort the 10,000-run thread (click a header → sorted answer painted), p50',
        sorts,
        SORT_NOTE,
        {
          naive: { label: 'plain table, re-append sorted rows', value: round(naive.sortMs) },
          how: `clicks on Status, Created, Tokens (asc, desc, off; ${INTERACTION_ROUNDS} rounds, the first with cold code and cold cache); the server sorts the whole thread and the first 100 rows are painted`,
        },
      ),
    );
    const filters = await measureFilters(page);
    figures.push(
      interactionFigure(
        'search the 10,000-run thread (type → answer painted), p50',
        filters.search,
        FILTER_NOTE,
        {
          naive: { label: 'plain table, display:none per row', value: round(naive.filterMs) },
          how: "searches for 'x' then clearing it",
        },
      ),
    );
    figures.push(
      interactionFigure(
        'filter by status (toggle a status button → painted), p50',
        filters.status,
        FILTER_NOTE,
        {
          how: 'toggles of the Failed status filter on and off',
        },
      ),
    );
    const panel = await measureClickToPanel(page);
    figures.push(
      interactionFigure('click a row → detail panel painted, p50', panel, PANEL_NOTE, {
        how:
          'clicks on different rows (the first opens the panel), until the panel shows the clicked run; every ' +
          `section settled (steps, messages and audit fetched, raw JSON) p50 ${round(percentile(panel.settled, 50) ?? 0)} ms`,
      }),
    );
    await page.getByRole('button', { name: 'Close run detail' }).click();
    await page.waitForTimeout(300);

    context.log('dashboard: scroll frame times');
    const scroll = await page.evaluate(
      ({ durationMs, stepPx }) => window.__bench.scrollFrames(window.__bench.scroller(), durationMs, stepPx),
      { durationMs: SCROLL_MS, stepPx: SCROLL_STEP_PX },
    );
    const frames = summarize(scroll.frameMs);
    const naiveFrames = summarize(naive.frameMs);
    const fps = (samples: number[]) =>
      samples.length ? samples.length / (samples.reduce((a, b) => a + b, 0) / 1000) : 0;
    figures.push({
      group: GROUP,
      name: 'scrolling, frames per second',
      value: round(fps(scroll.frameMs)),
      unit: 'fps',
      target: { comparison: '>=', value: 58 },
      naive: { label: 'plain table', value: round(fps(naive.frameMs)) },
      ...(fps(scroll.frameMs) < 58
        ? {
            notes:
              fps(scroll.frameMs) < fps(naive.frameMs)
                ? `${SCROLL_NOTE} ${SCROLL_SLOWER_THAN_PLAIN}`
                : SCROLL_NOTE,
          }
        : {}),
      detail:
        `frame time p50 ${round(frames.p50 ?? 0)} ms, p95 ${round(frames.p95 ?? 0)} ms, max ${round(frames.max ?? 0)} ms ` +
        `(plain table p50 ${round(naiveFrames.p50 ?? 0)}, p95 ${round(naiveFrames.p95 ?? 0)} ms); ${scroll.frameMs.length} frames, ` +
        `${SCROLL_STEP_PX} px per frame for ${SCROLL_MS / 1000} s; 60 frames/s target read as ≥ 58 measured`,
    });
    figures.push({
      group: GROUP,
      name: 'scrolling, frame time p95',
      value: round(frames.p95 ?? 0),
      unit: 'ms',
      target: { comparison: '<=', value: 16.7 },
      naive: { label: 'plain table', value: round(naiveFrames.p95 ?? 0) },
      ...((frames.p95 ?? 0) > 16.7 ? { notes: SCROLL_NOTE } : {}),
    });
    figures.push({
      group: GROUP,
      name: 'JS heap used, 10,000 runs loaded',
      value: virtualized.jsHeapMb,
      unit: 'MB',
      detail: `after a forced GC (CDP Performance.getMetrics JSHeapUsedSize); plain table built beside it: ${naiveMetrics.jsHeapMb} MB`,
    });
    figures.push({
      group: GROUP,
      name: 'DOM nodes, 10,000 runs loaded',
      value: virtualized.domNodes,
      unit: 'nodes',
      naive: { label: 'page with the plain table added', value: naiveMetrics.domNodes },
      detail: 'CDP Performance.getMetrics Nodes after a forced GC',
    });
    figures.push({
      group: GROUP,
      name: 'plain table: render 10,000 rows (naive only)',
      value: round(naive.renderMs),
      unit: 'ms',
      detail:
        'append 10,000 <tr> of 8 cells → painted; the virtualized table never renders more than a screenful',
    });
  } finally {
    await dashboard.close();
  }
  return figures;
}

async function coldLoad(context: BenchContext, threadId: string): Promise<Figure> {
  const firstRow: number[] = [];
  const contentful: number[] = [];
  for (let index = 0; index < context.durations.coldLoads; index++) {
    const dashboard = await openDashboard(context.browser, context.server.url, threadId);
    try {
      const timings = await dashboard.page.waitForFunction(() => {
        const painted = window.__bench.firstRowPaintedAt;
        if (painted === null) return null;
        const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null;
        return { painted, fcp };
      });
      const { painted, fcp } = (await timings.jsonValue())!;
      firstRow.push(painted);
      if (fcp !== null) contentful.push(fcp);
    } finally {
      await dashboard.close();
    }
  }
  return {
    group: GROUP,
    name: 'cold load → first runs table rows painted, p50',
    value: round(percentile(firstRow, 50) ?? 0),
    unit: 'ms',
    detail:
      `max ${round(Math.max(...firstRow))} ms over ${firstRow.length} loads, each in a new browser context (empty cache); ` +
      `first contentful paint p50 ${round(percentile(contentful, 50) ?? 0)} ms; from navigation start; no target set in issue 7`,
  };
}

interface Interaction {
  /** Action → the frame after the one that painted the last DOM change. */
  painted: number[];
  /** Action → handlers, React commit and a forced layout done, without frame alignment. */
  syncWork: number[];
}

function collect(results: SettleResult[], what: string): Interaction {
  const done = results.filter((result) => result.ms !== null);
  if (done.length === 0) throw new Error(`${what} changed nothing on screen.`);
  return { painted: done.map((result) => result.ms!), syncWork: done.map((result) => result.syncWorkMs) };
}

/**
 * For interactions the server answers (sort, search, status filter over the whole thread): until the frame after the
 * one that painted the answer (the grid no longer busy), or the last change when that came later.
 */
function collectAnswered(results: SettleResult[], what: string): Interaction {
  const done = results.filter((result) => result.ms !== null || result.shownMs !== null);
  if (done.length === 0) throw new Error(`${what} changed nothing on screen.`);
  return {
    painted: done.map((result) => Math.max(result.ms ?? 0, result.shownMs ?? 0)),
    syncWork: done.map((result) => result.syncWorkMs),
  };
}

const FRAME_NOTE =
  'The figure ends at the start of the frame after the one that painted the change, so it includes waiting for up to ' +
  'two 16.7 ms frames (60 Hz) on top of the synchronous work shown in the detail: about 25 ms of the budget on ' +
  'average, whatever the code does.';
const MACHINE_NOTE =
  'Headless Chromium here rasterizes in software (--disable-gpu) on 2 cores shared with the server and the bench, ' +
  'so the p50 moves by ±10 ms between runs.';
const SORT_NOTE =
  `The server sorts the whole thread (GET /api/runs?sort=…, its SQLite index); the browser paints the first page. ` +
  `4 rows of overscan, contained rows (fixed size). ` +
  `What is left is React replacing the ~21 rows on screen, then style, layout and paint. ${FRAME_NOTE} ` +
  MACHINE_NOTE;
const FILTER_NOTE =
  `The server filters and searches the whole thread (GET /api/runs?status=…&q=…); the previous answer stays on ` +
  `screen, marked busy, until the new one is painted. ${FRAME_NOTE} ${MACHINE_NOTE}`;
const PANEL_NOTE =
  `In place: the panel's code preloaded when the page is idle, its header, outcome, timeline and usage painted first ` +
  `and the longer sections in a deferred render, opening a run re-rendering only the panel and the table (URL state ` +
  `by selector). ${FRAME_NOTE} ${MACHINE_NOTE}`;

const SCROLL_NOTE =
  'Every scroll step renders the 2 or 3 rows entering the screen (rows in view are memoized and untouched); the rest ' +
  'is raster: headless Chromium here rasterizes in software (--disable-gpu) on 2 cores shared with the server and the ' +
  'bench, and the plain table, whose scrolling is compositor work only, lands on the same frame times (see its ' +
  'figure beside). 120 px per frame (7,200 px/s) is a fast fling.';
const SCROLL_SLOWER_THAN_PLAIN =
  'In this run the plain table scrolled a little more smoothly: once laid out (the 2 s render above) it has no ' +
  'main-thread work per frame, while the virtualized table renders the rows entering the screen.';

function interactionFigure(
  name: string,
  samples: Interaction,
  missNote: string,
  options: { naive?: Figure['naive']; how: string },
): Figure {
  const value = round(percentile(samples.painted, 50) ?? 0);
  return {
    group: GROUP,
    name,
    value,
    unit: 'ms',
    target: { comparison: '<=', value: INTERACTION_TARGET_MS },
    ...(options.naive ? { naive: options.naive } : {}),
    detail:
      `max ${round(Math.max(...samples.painted))} ms over ${samples.painted.length} ${options.how}; ` +
      `synchronous work p50 ${round(percentile(samples.syncWork, 50) ?? 0)} ms, max ${round(Math.max(...samples.syncWork))} ms`,
    ...(value > INTERACTION_TARGET_MS ? { notes: missNote } : {}),
  };
}

async function measureSorts(page: Page): Promise<Interaction> {
  const samples: SettleResult[] = [];
  for (let round = 0; round < INTERACTION_ROUNDS; round++) {
    for (const column of ['Status', 'Created', 'Tokens']) {
      for (let click = 0; click < 3; click++) {
        const result = await page.evaluate((title) => {
          const button = document.querySelector<HTMLButtonElement>(
            `[role="columnheader"] button[title="Sort by ${title}"]`,
          );
          if (!button) throw new Error(`No header button 'Sort by ${title}'.`);
          // Sorted by the server: done when the grid shows the new answer (no longer marked busy).
          const answered = () =>
            document.querySelector('[role="grid"][aria-label="Runs"]')?.getAttribute('aria-busy') !== 'true';
          return window.__bench.settleAfter(() => button.click(), { shown: answered });
        }, column);
        samples.push(result);
      }
    }
  }
  return collectAnswered(samples, 'Sorting');
}

async function measureFilters(page: Page): Promise<{ search: Interaction; status: Interaction }> {
  const search: SettleResult[] = [];
  const status: SettleResult[] = [];
  for (let round = 0; round < INTERACTION_ROUNDS * 3; round++) {
    for (const text of ['x', '']) {
      const result = await page.evaluate((value) => {
        const input = document.querySelector<HTMLInputElement>('input[aria-label="Search runs"]');
        if (!input) throw new Error('No "Search runs" input.');
        const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
        const answered = () =>
          document.querySelector('[role="grid"][aria-label="Runs"]')?.getAttribute('aria-busy') !== 'true';
        return window.__bench.settleAfter(
          () => {
            setValue.call(input, value);
            input.dispatchEvent(new Event('input', { bubbles: true }));
          },
          { shown: answered },
        );
      }, text);
      search.push(result);
    }
    for (let toggle = 0; toggle < 2; toggle++) {
      const result = await page.evaluate(() => {
        const buttons = [
          ...document.querySelectorAll<HTMLButtonElement>(
            '[role="group"][aria-label="Filter by status"] button',
          ),
        ];
        const failed = buttons.find((button) => /failed/i.test(button.textContent ?? ''));
        if (!failed) throw new Error('No "Failed" status filter button.');
        const answered = () =>
          document.querySelector('[role="grid"][aria-label="Runs"]')?.getAttribute('aria-busy') !== 'true';
        return window.__bench.settleAfter(() => failed.click(), { shown: answered });
      });
      status.push(result);
    }
  }
  return {
    search: collectAnswered(search, 'Searching'),
    status: collectAnswered(status, 'Filtering by status'),
  };
}

async function measureClickToPanel(page: Page): Promise<Interaction & { settled: number[] }> {
  const samples: SettleResult[] = [];
  for (let index = 2; index < 2 + PANEL_CLICKS; index++) {
    const result = await page.evaluate(
      ({ selector, index }) => {
        const row = document.querySelectorAll<HTMLElement>(selector)[index];
        if (!row) throw new Error(`No runs table row ${index}.`);
        const runId = row.dataset.runId ?? '';
        const panelShowsRun = () =>
          document.querySelector('aside[aria-label="Run detail"] header')?.textContent?.includes(runId) ??
          false;
        return window.__bench.settleAfter(() => row.click(), { shown: panelShowsRun });
      },
      { selector: RUN_ROW_SELECTOR, index },
    );
    if (result.shownMs === null) throw new Error('Clicking a row did not show its run in the detail panel.');
    samples.push(result);
  }
  const settled = collect(samples, 'Opening the panel');
  return {
    painted: samples.map((result) => result.shownMs!),
    syncWork: settled.syncWork,
    settled: settled.painted,
  };
}

/**
 * What issue 13 saw wrong on a 10,000-run thread, checked against the thread itself (all its runs read through
 * /v1): the Failed chip's count, the first row sorted by tokens (highest first), and the oldest run found by its id.
 * The figure is how many of the three are wrong.
 */
async function correctness(page: Page, allRuns: Run[]): Promise<Figure> {
  const failedTruth = allRuns.filter((run) => run.status === 'failed').length;
  const topTokens = Math.max(...allRuns.map((run) => run.usage?.total_tokens ?? -1));
  const oldest = allRuns.at(-1)!;
  const grid = page.getByRole('grid', { name: 'Runs' });
  const settled = () =>
    page.waitForFunction(() => {
      const element = document.querySelector('[role="grid"][aria-label="Runs"]');
      return element !== null && element.getAttribute('aria-busy') !== 'true';
    });

  const chip = await page
    .getByRole('group', { name: 'Filter by status' })
    .getByRole('button', { name: /Failed/ })
    .textContent();
  const failedShown = Number(/(\d[\d,]*)\s*$/.exec(chip ?? '')?.[1]?.replace(/,/g, '') ?? NaN);

  await grid.getByRole('button', { name: 'Tokens' }).click();
  await settled();
  const firstId = await grid.locator('[role="row"][data-run-id]').first().getAttribute('data-run-id');
  const firstTokens = allRuns.find((run) => run.id === firstId)?.usage?.total_tokens ?? null;
  await grid.getByRole('button', { name: 'Tokens' }).click();
  await grid.getByRole('button', { name: 'Tokens' }).click();
  await settled();

  const search = page.getByRole('searchbox', { name: 'Search runs' });
  await search.fill(oldest.id);
  await page
    .waitForFunction(
      (id) => {
        const rows = document.querySelectorAll('[role="grid"][aria-label="Runs"] [role="row"][data-run-id]');
        return rows.length === 1 && rows[0]!.getAttribute('data-run-id') === id;
      },
      oldest.id,
      { timeout: 10_000 },
    )
    .catch(() => undefined);
  const found = await grid
    .locator('[role="row"][data-run-id]')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-run-id')));
  await search.fill('');
  await settled();

  const wrong = [
    failedShown !== failedTruth,
    firstTokens !== topTokens,
    !(found.length === 1 && found[0] === oldest.id),
  ];
  return {
    group: GROUP,
    name: '10,000-run thread: counts, sort and id search wrong',
    value: wrong.filter(Boolean).length,
    unit: 'of 3',
    target: { comparison: '<=', value: 0 },
    detail:
      `Failed chip ${failedShown} (thread: ${failedTruth}); first row by tokens, highest first: ${firstTokens} tokens ` +
      `(thread's top: ${topTokens}); search for the oldest run's id: ${found.length} row(s)` +
      `${found[0] === oldest.id ? ', that run' : ''}; the thread read through /v1 as the truth`,
  };
}
