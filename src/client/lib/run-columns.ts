import { RUN_SORTS } from '../../shared/run-sort-keys';
import type { RunSortField, SortKey } from '../../shared/run-sort-keys';

/**
 * Everything known about a column of the runs table, apart from how its cell is drawn: the table attaches it to its
 * TanStack column as `meta` (features/runs-table/runs-columns.tsx), the toolbar reads `hideable`, the layout reads
 * `size`, `grow` and `priority`; the CSV export writes each by its id (features/export/export-columns.ts).
 */
export interface RunColumnMeta {
  id: string;
  label: string;
  /** Default width in px; a person can resize it (remembered) down to `minSize`. */
  size: number;
  minSize: number;
  /** How much more than its width-share of the room left it takes (every column stretches in proportion to its width). */
  grow?: number;
  /** Which columns leave first when the table is narrow: the highest number goes first; 0 never leaves (pinned). */
  priority: number;
  /** Can be hidden from the Columns menu. Status and run id always show. */
  hideable: boolean;
  /** What sorting by this column compares (shared/run-sort-keys.ts: the server sorts by the same keys). */
  sortKey: SortKey;
}

/** A column the runs sort by (its id is the sort field): its label and sort key are the field's. */
function sortable(field: RunSortField) {
  const { label, key } = RUN_SORTS[field];
  return { id: field, label, sortKey: key satisfies SortKey };
}

export const RUN_COLUMNS: readonly RunColumnMeta[] = [
  {
    ...sortable('status'),
    size: 108,
    minSize: 100,
    priority: 0,
    hideable: false,
  },
  {
    ...sortable('id'),
    size: 228,
    minSize: 140,
    grow: 0.25,
    priority: 0,
    hideable: false,
  },
  {
    // Only in the views across threads (home); a thread's own view hides it. The API does not sort by it.
    id: 'thread',
    label: 'Thread',
    size: 150,
    minSize: 96,
    priority: 2,
    hideable: true,
    sortKey: (run) => run.thread_id,
  },
  {
    ...sortable('assistant'),
    size: 110,
    minSize: 80,
    grow: 0.5,
    priority: 4,
    hideable: true,
  },
  {
    ...sortable('model'),
    size: 96,
    minSize: 72,
    priority: 6,
    hideable: true,
  },
  {
    ...sortable('created'),
    size: 84,
    minSize: 72,
    priority: 1,
    hideable: true,
  },
  {
    ...sortable('duration'),
    // Room for its second line, "queued 1s · ran 12s" (wider still when the table has room: columns stretch).
    size: 116,
    minSize: 80,
    grow: 0.5,
    priority: 3,
    hideable: true,
  },
  {
    ...sortable('tokens'),
    size: 80,
    minSize: 72,
    priority: 5,
    hideable: true,
  },
  {
    ...sortable('outcome'),
    size: 150,
    minSize: 96,
    grow: 1.5,
    priority: 2,
    hideable: true,
  },
  {
    ...sortable('metadata'),
    size: 130,
    minSize: 96,
    grow: 1,
    priority: 7,
    hideable: true,
  },
];

export const RUN_COLUMN_META: Readonly<Record<string, RunColumnMeta>> = Object.fromEntries(
  RUN_COLUMNS.map((column) => [column.id, column]),
);

/** Row actions (cancel) have their own column at the end, so they never cover a cell. */
export const ACTIONS_COLUMN = { id: 'actions', label: 'Actions', size: 72, priority: 1 } as const;

/**
 * The columns that fit in `width` px: shown ones in order, dropping the highest `priority` first until their widths
 * (and the actions column) fit, then taking back any dropped one that fits in the room left (the most important
 * first), so no width stays blank. Pinned columns (priority 0) and the `keep` ones (the sorted column, the column a
 * filter is about) always stay.
 */
export function columnsThatFit(
  shown: readonly { id: string; size: number; priority: number }[],
  width: number,
  keep: ReadonlySet<string> = new Set(),
): Set<string> {
  const leaves = (column: { id: string; priority: number }) => column.priority > 0 && !keep.has(column.id);
  const kept = new Set(shown.map((column) => column.id));
  let total = shown.reduce((sum, column) => sum + column.size, 0);
  const byLeaving = shown.filter(leaves).sort((a, b) => b.priority - a.priority);
  const dropped: typeof byLeaving = [];
  for (const column of byLeaving) {
    if (total <= width) break;
    kept.delete(column.id);
    total -= column.size;
    dropped.push(column);
  }
  for (const column of dropped.reverse()) {
    if (total + column.size > width) continue;
    kept.add(column.id);
    total += column.size;
  }
  return kept;
}

/**
 * The columns a view must show at any width: the one it is sorted by (else the order looks random) and Outcome when
 * the filter is about outcomes (failures, incomplete runs, replies, runs waiting on tool outputs).
 */
export function columnsToKeep(sortId: string, statuses: readonly string[]): Set<string> {
  const keep = new Set([sortId]);
  if (statuses.some((status) => OUTCOME_STATUSES.has(status))) keep.add('outcome');
  return keep;
}

const OUTCOME_STATUSES = new Set(['failed', 'incomplete', 'completed', 'requires_action']);

/** The order a list is in when the person picked none: newest first. */
export const DEFAULT_SORT = { id: 'created', desc: true } as const;
