/**
 * The naive alternative to the virtualized runs table, built in the same page for comparison: one plain <tr> per
 * run (10,000 rows, eight cells each), sorted by re-appending rows and filtered with display:none. It is the cheapest
 * unvirtualized table there is (no framework), so the comparison flatters the naive side.
 * The functions are serialized into the page: no imports.
 */

export type NaiveRow = [
  id: string,
  status: string,
  assistant: string,
  model: string,
  created: number,
  duration: number,
  tokens: number,
  outcome: string,
];

export interface NaiveTimings {
  renderMs: number;
  sortMs: number;
  filterMs: number;
  rows: number;
  frameMs: number[];
}

export async function buildAndMeasureNaiveTable({
  rows,
  scrollMs,
}: {
  rows: NaiveRow[];
  scrollMs: number;
}): Promise<NaiveTimings> {
  const nextFrame = () =>
    new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now())));
  // Two frames: the first callback runs before the frame that paints the change.
  const painted = async () => {
    await nextFrame();
    return nextFrame();
  };
  const container = document.createElement('div');
  container.id = 'bench-naive-table';
  container.style.cssText =
    'position:fixed;inset:0;overflow:auto;background:#fff;z-index:2147483647;font:12px sans-serif';

  let started = performance.now();
  const table = document.createElement('table');
  const body = document.createElement('tbody');
  for (const row of rows) {
    const tr = document.createElement('tr');
    tr.dataset.id = row[0];
    for (const cell of row) {
      const td = document.createElement('td');
      td.textContent = String(cell);
      td.style.cssText = 'padding:12px 8px;border-bottom:1px solid #ddd';
      tr.append(td);
    }
    body.append(tr);
  }
  table.append(body);
  container.append(table);
  document.body.append(container);
  const renderMs = (await painted()) - started;

  const trs = [...body.children] as HTMLTableRowElement[];
  started = performance.now();
  const byTokens = [...trs].sort(
    (a, b) => Number(a.children[6]!.textContent) - Number(b.children[6]!.textContent),
  );
  body.append(...byTokens);
  const sortMs = (await painted()) - started;

  started = performance.now();
  for (const tr of trs) tr.style.display = tr.dataset.id!.includes('x') ? '' : 'none';
  const filterMs = (await painted()) - started;
  for (const tr of trs) tr.style.display = '';
  await painted();

  const frameMs: number[] = [];
  let previous = await nextFrame();
  const scrollStarted = previous;
  while (previous - scrollStarted < scrollMs) {
    container.scrollTop += 120;
    const now = await nextFrame();
    frameMs.push(now - previous);
    previous = now;
  }
  return { renderMs, sortMs, filterMs, rows: body.querySelectorAll('tr').length, frameMs };
}

export function removeNaiveTable(): void {
  document.getElementById('bench-naive-table')?.remove();
}
