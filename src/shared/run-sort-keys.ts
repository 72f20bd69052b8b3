/**
 * What each sortable column of the runs table sorts by, and how two values compare: one definition for the
 * dashboard's table and the server's query index (`/api/runs?sort=…`), so both put runs in exactly the same order.
 */
import type { Run, RunStatus } from './openai-types';
import { RUN_STATUSES } from './openai-types';
import { metadataText, outcomeText } from './run-text';
import { runTiming } from './run-timing';
import type { RunSortField } from './runs-query-types';

export type SortValue = number | string;
export type SortKey = (run: Run, nowMs: number) => SortValue;

const STATUS_ORDER = Object.fromEntries(RUN_STATUSES.map((status, index) => [status, index])) as Record<
  RunStatus,
  number
>;

/** A status's place in the lifecycle order (queued first, expired last): statuses sort by it, not by name. */
export function statusRank(status: RunStatus): number {
  return STATUS_ORDER[status];
}

/**
 * Each column's raw sort value (what the table shows and compares). Missing numbers are -1, missing text is '';
 * a duration grows with `nowMs` while the run is active.
 */
export const RUN_SORT_KEYS: Record<RunSortField, SortKey> = {
  status: (run) => statusRank(run.status),
  id: (run) => run.id,
  assistant: (run) => run.assistant_id,
  model: (run) => run.model,
  created: (run) => run.created_at,
  duration: (run, nowMs) => runTiming(run, nowMs).totalSeconds ?? -1,
  tokens: (run) => run.usage?.total_tokens ?? -1,
  outcome: (run) => outcomeText(run),
  metadata: (run) => metadataText(run),
};

/**
 * Natural order for text, as a person reads ids and names: case is ignored and runs of digits compare by their
 * value ("run_9" before "run_10"). The key compares by code point (`compareComparable`), which is also how SQLite's
 * BINARY collation compares it, so the server can index it.
 * Digits become '0' + a length mark + the digits without leading zeros: shorter numbers first, then by digits.
 */
export function naturalSortKey(text: string): string {
  return text.toLowerCase().replace(/\d+/g, (digits) => {
    const value = digits.replace(/^0+(?=\d)/, '');
    return '0' + String.fromCharCode(0x30 + value.length) + value;
  });
}

/** A sort value made directly comparable: text becomes its natural key; numbers stay. */
export function comparableSortValue(value: SortValue): SortValue {
  return typeof value === 'string' ? naturalSortKey(value) : value;
}

/** Compares two comparable values (numbers numerically, keys by code point, as SQLite's BINARY collation does). */
export function compareComparable(a: SortValue, b: SortValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compareCodePoints(String(a), String(b));
}

/** Compares two raw sort values as the table and the server order them. */
export function compareSortValues(a: SortValue, b: SortValue): number {
  return compareComparable(comparableSortValue(a), comparableSortValue(b));
}

// UTF-16 order differs from UTF-8 (SQLite's) only beyond the BMP versus U+E000–U+FFFF: compare code points then.
const SURROGATE = /[\uD800-\uDFFF]/;

function compareCodePoints(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const left = [...a];
  const right = [...b];
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    const difference = left[index]!.codePointAt(0)! - right[index]!.codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}
