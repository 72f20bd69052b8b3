import type { QueryCoverage } from '../../../shared/runs-query-types';

const count = (value: number) => value.toLocaleString('en');

/**
 * The table's footer: how many runs are loaded of how many the server counted for this query, so a view of the first
 * 100 runs never reads as the whole thread ("100 of 10,000 runs loaded"); and whether the answer itself is partial.
 */
export function loadedText(
  loaded: number,
  total: number,
  hasMore: boolean,
  filtered: boolean,
  coverage: QueryCoverage | undefined,
): string {
  const noun = `${filtered ? 'matching ' : ''}run${(hasMore ? total : loaded) === 1 ? '' : 's'}`;
  const text = hasMore
    ? `${count(loaded)} of ${count(Math.max(total, loaded))} ${noun} loaded`
    : `${count(loaded)} ${noun} loaded`;
  return coverage && !coverage.complete ? `${text} (partial answer: not every thread is loaded yet)` : text;
}
