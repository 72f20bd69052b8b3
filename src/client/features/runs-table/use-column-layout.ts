import { useMemo } from 'react';
import {
  ACTIONS_COLUMN,
  columnsThatFit,
  columnsToKeep,
  RUN_COLUMN_META,
  RUN_COLUMNS,
} from '../../lib/run-columns';
import { formatZonedTime } from '../../lib/format-time';
import { useTimeFormat } from '../../hooks/use-time-format';
import type { ColumnVisibility } from './use-column-visibility';

/** Tables narrower than this (a phone) use every column's minimum width. */
const COMPACT_BELOW = 600;
/** The rows' horizontal padding (px-3 on each side). */
const ROW_PADDING = 24;
const NO_STATUSES: readonly string[] = [];
/**
 * Created's width when times are absolute: its second line, "14:03:07 GMT+5:30", at about 7.5 px a character of the
 * table's text (the date, 10 characters, is shorter), and the cell's padding.
 */
const absoluteTimeWidth = () => {
  const text = formatZonedTime(Date.now() / 1000);
  return Math.ceil((text.length - text.indexOf(' ') - 1) * 7.5) + 16;
};

export interface ColumnLayout {
  /** The columns shown, in order: those the person shows that fit the width. */
  columnIds: string[];
  /** Labels of the columns the person shows that the width leaves out. */
  leftOut: string[];
  /** The row actions' column is shown. */
  showActions: boolean;
  /** Each column's width in px: the person's (never below its minimum) or its default; the minimum on a phone. */
  sizeOf: (columnId: string) => number;
  gridTemplateColumns: string;
  minWidth: string;
  /** Left offsets (px) of the pinned columns (Status, Run), by column id: they stay in view when scrolling sideways. */
  pinnedLeft: Record<string, number>;
}

/**
 * Which columns the runs table shows at its width and how wide each is. Columns the person shows that do not fit leave
 * by priority; every column shown takes a share of the room left, in proportion to its width (more for the `grow`
 * ones), so no width stays blank and no text is cut beside an empty column. The layout keeps its identity while the
 * columns and widths stay the same (memoized rows keep theirs).
 *
 * @param width the table's width in px; 0 before it is measured (every shown column then)
 * @param columnSizing the widths the person gave columns (px, by id)
 * @param withActions rows have controls (cancel): they get their own column when it fits
 * @param sortId the sorted column, which never leaves
 * @param statuses the status filter: a filter about outcomes keeps the Outcome column
 */
export function useColumnLayout(
  width: number,
  columnVisibility: ColumnVisibility,
  columnSizing: Record<string, number>,
  withActions: boolean,
  sortId: string,
  statuses: readonly string[],
): ColumnLayout {
  // A phone-sized table lays its columns out at their minimum widths (status, run, time and more fit in a row).
  const compact = width > 0 && width < COMPACT_BELOW;
  const [timeFormat] = useTimeFormat();
  const sizeOf = useMemo(() => {
    const createdAtLeast = timeFormat === 'absolute' ? absoluteTimeWidth() : 0;
    return (columnId: string) => {
      const meta = RUN_COLUMN_META[columnId]!;
      const size = compact ? meta.minSize : Math.max(meta.minSize, columnSizing[columnId] ?? meta.size);
      return columnId === 'created' ? Math.max(size, createdAtLeast) : size;
    };
  }, [compact, columnSizing, timeFormat]);
  const shownIds = RUN_COLUMNS.filter(
    (column) => !column.hideable || columnVisibility[column.id] !== false,
  ).map((column) => column.id);
  // The columns the person shows that fit the width; the others leave, the lowest priority first.
  const shown = shownIds.map((id) => ({ id, size: sizeOf(id), priority: RUN_COLUMN_META[id]!.priority }));
  if (withActions) shown.push({ ...ACTIONS_COLUMN });
  // A phone keeps only the sorted column: the run cell's second line says the outcome when Outcome is left out.
  const keep = columnsToKeep(sortId, compact ? NO_STATUSES : statuses);
  const fitting = width > 0 ? columnsThatFit(shown, width - ROW_PADDING, keep) : new Set(shown.map(idOf));
  // Keyed by strings: a new width that shows the same columns keeps the layout.
  const shownKey = shownIds.join();
  const fittingKey = [...fitting].join();

  return useMemo(() => {
    const fits = new Set(fittingKey.split(','));
    const shownIds = shownKey.split(',');
    const columnIds = shownIds.filter((id) => fits.has(id));
    const showActions = fits.has(ACTIONS_COLUMN.id);
    const tracks = columnIds.map((id) => {
      const weight = (sizeOf(id) * (1 + (RUN_COLUMN_META[id]!.grow ?? 0))) / 100;
      return `minmax(${sizeOf(id)}px, ${weight.toFixed(2)}fr)`;
    });
    if (showActions) tracks.push(`${ACTIONS_COLUMN.size}px`);
    const pinnedLeft: Record<string, number> = {};
    let left = 0;
    for (const id of columnIds) {
      if (RUN_COLUMN_META[id]!.priority !== 0) break;
      pinnedLeft[id] = left;
      left += sizeOf(id);
    }
    const columnsWidth = columnIds.reduce((sum, id) => sum + sizeOf(id), 0);
    return {
      columnIds,
      leftOut: shownIds.filter((id) => !fits.has(id)).map((id) => RUN_COLUMN_META[id]!.label),
      showActions,
      sizeOf,
      gridTemplateColumns: tracks.join(' '),
      minWidth: `${columnsWidth + (showActions ? ACTIONS_COLUMN.size : 0) + ROW_PADDING}px`,
      pinnedLeft,
    };
  }, [shownKey, fittingKey, sizeOf]);
}

const idOf = (column: { id: string }) => column.id;
