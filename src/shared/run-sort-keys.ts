/**
 * What each sortable column of the runs table sorts by, and how two values compare: one definition for the
 * dashboard's table and the server's query index (`/api/runs?sort=…`), so both put runs in exactly the same order.
 */
import type { Run, RunStatus } from './openai-types';
import { RUN_STATUSES } from './openai-types';
import { metadataText, outcomeText } from './run-text';
import { runTiming } from './run-timing';

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

/** How a sort field's values compare: numbers, or text in natural order (`naturalSortKey`). */
type SortKind =
  | { numeric: true; key: (run: Run, nowMs: number) => number }
  | { numeric: false; key: (run: Run, nowMs: number) => string };

/** What one sortable field of the runs is: everything the dashboard and the server need to sort by it. */
export type RunSortDescriptor = SortKind & {
  /** The runs table's header for it. */
  label: string;
  /** A run keeps this value for life: a change never moves a run under this sort (no refetch of the order). */
  fixed: boolean;
  /**
   * The query index's column (src/server/run-index), holding `comparableSortValue(key(run))` and indexed with `ord`.
   * `key` is the raw value: missing numbers are -1, missing text is ''.
   */
  column: string;
  /** Grows with time while the run is active: the index stores null then and computes it at query time. */
  live?: true;
};

/**
 * Every field the runs sort by (`/api/runs?sort=<field>.asc|desc`, the table's sortable columns), in the table's
 * order. From this one table: the query API's list of sort fields (`RUN_SORT_FIELDS`), the index's sort columns,
 * their indexes and the values written to them (src/server/run-index), the table's labels, sort keys and sortable
 * columns (lib/run-columns.ts, runs-columns.tsx), and which sorts a run's change can reorder (`fixed`). A new field
 * needs its cell in the table (runs-columns.tsx), and a `live` one its query-time value (runs-query.ts).
 */
export const RUN_SORTS = {
  status: {
    label: 'Status',
    numeric: true,
    fixed: false,
    column: 'k_status',
    key: (run) => statusRank(run.status),
  },
  id: { label: 'Run', numeric: false, fixed: true, column: 'k_id', key: (run) => run.id },
  assistant: {
    label: 'Assistant',
    numeric: false,
    fixed: true,
    column: 'k_assistant',
    key: (run) => run.assistant_id,
  },
  model: { label: 'Model', numeric: false, fixed: true, column: 'k_model', key: (run) => run.model },
  created: {
    label: 'Created',
    numeric: true,
    fixed: true,
    column: 'created_at',
    key: (run) => run.created_at,
  },
  duration: {
    label: 'Duration',
    numeric: true,
    fixed: false,
    column: 'k_duration',
    live: true,
    key: (run, nowMs) => runTiming(run, nowMs).totalSeconds ?? -1,
  },
  tokens: {
    label: 'Tokens',
    numeric: true,
    fixed: false,
    column: 'k_tokens',
    key: (run) => run.usage?.total_tokens ?? -1,
  },
  outcome: {
    label: 'Outcome',
    numeric: false,
    fixed: false,
    column: 'k_outcome',
    key: (run) => outcomeText(run),
  },
  metadata: {
    label: 'Metadata',
    numeric: false,
    fixed: false,
    column: 'k_metadata',
    key: (run) => metadataText(run),
  },
} as const satisfies Record<string, RunSortDescriptor>;

export type RunSortField = keyof typeof RUN_SORTS;

/** Whether `value` (a URL's or a query string's) names a sort field. */
export function isRunSortField(value: string): value is RunSortField {
  return Object.hasOwn(RUN_SORTS, value);
}

/** Each field's raw sort value (what the table shows and compares); a duration grows with `nowMs` while active. */
export const RUN_SORT_KEYS = Object.fromEntries(
  Object.entries(RUN_SORTS).map(([field, sort]) => [field, sort.key]),
) as Record<RunSortField, SortKey>;

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
