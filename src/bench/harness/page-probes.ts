/**
 * Probes installed in the dashboard page before any of its scripts run (`page.addInitScript(installPageProbes)`),
 * so timings are taken inside the page with performance.now(), a MutationObserver and requestAnimationFrame,
 * never across the Playwright round trip. The function is serialized into the page: it must not use imports.
 */

export interface SettleResult {
  /** From just before the action to the start of the frame after the one that painted the DOM's last change. */
  ms: number | null;
  /** The synchronous part: the action's handlers, React's commit and a forced layout, without waiting for a frame. */
  syncWorkMs: number;
  mutations: number;
  /** With `shown`: from just before the action to the start of the frame after the one that first painted it. */
  shownMs: number | null;
}

export interface ScrollResult {
  frameMs: number[];
  scrolledPx: number;
}

export interface StatusSighting {
  runId: string;
  status: string;
  /** Date.now() in the frame after the change reached the DOM (comparable with the bench process's clock). */
  at: number;
}

export interface PageProbes {
  /** performance.now() at the frame after the first runs-table row appeared (ms since navigation start). */
  firstRowPaintedAt: number | null;
  statusSightings: StatusSighting[];
  settleAfter(
    action: () => void,
    options?: {
      quietFrames?: number;
      timeoutMs?: number;
      /** True once what the action is for is in the DOM (e.g. the panel shows the clicked run). */
      shown?: () => boolean;
    },
  ): Promise<SettleResult>;
  scrollFrames(element: Element, durationMs: number, stepPx: number): Promise<ScrollResult>;
  /** The element that scrolls the runs table's rows (found from a row, whatever the table's markup around it). */
  scroller(): Element;
  /** The runs table's "N runs loaded" status line. */
  loadedStatus(): string;
}

declare global {
  interface Window {
    __bench: PageProbes;
  }
}

export function installPageProbes(): void {
  const nextFrame = () =>
    new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now())));
  /** Runs `callback` at the start of the frame after the next one: the current DOM has been painted by then. */
  const afterPaint = (callback: () => void) => requestAnimationFrame(() => requestAnimationFrame(callback));
  const seen = new Set<string>();
  const probes: PageProbes = {
    firstRowPaintedAt: null,
    statusSightings: [],

    async settleAfter(action, { quietFrames = 3, timeoutMs = 5_000, shown } = {}) {
      let mutations = 0;
      const observer = new MutationObserver((records) => {
        mutations += records.length;
      });
      observer.observe(document.documentElement, {
        subtree: true,
        childList: true,
        attributes: true,
        characterData: true,
      });
      const started = performance.now();
      action();
      // React flushes a discrete event's update in a microtask; reading layout then forces style and layout now.
      await Promise.resolve();
      document.documentElement.getBoundingClientRect();
      const syncWorkMs = performance.now() - started;
      return new Promise<SettleResult>((resolve) => {
        let counted = 0;
        let quiet = 0;
        let paintedAt: number | null = null;
        let shownAt: number | null = null;
        let shownLastFrame = false;
        // A frame's rAF callbacks run before its style, layout and paint: a change seen in one frame is on screen
        // by the next frame's callback.
        let changedLastFrame = false;
        const frame = () => {
          const now = performance.now();
          if (changedLastFrame) paintedAt = now;
          if (shownLastFrame && shownAt === null) shownAt = now;
          shownLastFrame = shownAt === null && shown !== undefined && shown();
          changedLastFrame = mutations !== counted;
          if (changedLastFrame) {
            counted = mutations;
            quiet = 0;
          } else if (mutations > 0) {
            quiet++;
          }
          if (quiet >= quietFrames || now - started > timeoutMs) {
            observer.disconnect();
            resolve({
              ms: paintedAt === null ? null : paintedAt - started,
              syncWorkMs,
              mutations,
              shownMs: shownAt === null ? null : shownAt - started,
            });
            return;
          }
          requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      });
    },

    async scrollFrames(element, durationMs, stepPx) {
      await nextFrame();
      const frameMs: number[] = [];
      const startTop = element.scrollTop;
      let previous = await nextFrame();
      const started = previous;
      while (previous - started < durationMs) {
        element.scrollTop += stepPx;
        const now = await nextFrame();
        frameMs.push(now - previous);
        previous = now;
      }
      return { frameMs, scrolledPx: element.scrollTop - startTop };
    },

    scroller() {
      let element =
        document.querySelector('[role="grid"][aria-label="Runs"] [data-run-id]')?.parentElement ?? null;
      while (element) {
        const overflow = getComputedStyle(element).overflowY;
        if (overflow === 'auto' || overflow === 'scroll') return element;
        element = element.parentElement;
      }
      throw new Error('No scrolling element around the runs table rows.');
    },

    loadedStatus() {
      const statuses = [
        ...document.querySelectorAll('[role="grid"][aria-label="Runs"] [role="status"], [role="status"]'),
      ];
      return statuses.map((element) => element.textContent ?? '').find((text) => /loaded/.test(text)) ?? '';
    },
  };
  window.__bench = probes;

  const record = (element: Element) => {
    const runId = element.getAttribute('data-run-id');
    const status = element.getAttribute('data-status');
    if (!runId || !status || seen.has(`${runId} ${status}`)) return;
    seen.add(`${runId} ${status}`);
    afterPaint(() => probes.statusSightings.push({ runId, status, at: Date.now() }));
  };
  const observer = new MutationObserver((records) => {
    for (const mutation of records) {
      if (mutation.type === 'attributes') {
        record(mutation.target as Element);
        continue;
      }
      for (const node of mutation.addedNodes) {
        if (!(node instanceof Element)) continue;
        const rows = node.matches('[data-run-id]') ? [node] : [...node.querySelectorAll('[data-run-id]')];
        if (rows.length > 0 && probes.firstRowPaintedAt === null) {
          afterPaint(() => {
            probes.firstRowPaintedAt ??= performance.now();
          });
        }
        rows.forEach(record);
      }
    }
  });
  const start = () =>
    observer.observe(document.documentElement, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-status'],
    });
  if (document.documentElement) start();
  else document.addEventListener('DOMContentLoaded', start, { once: true });
}
