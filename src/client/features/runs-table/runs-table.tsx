import { useTable } from '@tanstack/react-table';
import type { SortingState, Updater } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import type { Run } from '../../../shared/openai-types';
import { useElementWidth } from '../../hooks/use-element-width';
import {
  ACTIONS_COLUMN,
  columnsThatFit,
  columnsToKeep,
  DEFAULT_SORT,
  RUN_COLUMN_META,
  RUN_COLUMNS,
} from '../../lib/run-columns';
import type { RunsSort } from '../../lib/view-state';
import { sortParam } from '../../lib/view-state';
import { cx } from '../../ui/cx';
import { runsColumns } from './runs-columns';
import { runsTableFeatures } from './runs-table-features';
import { RunsTableBody } from './runs-table-body';
import type { RunRowsProps } from './runs-table-body';
import type { ColumnVisibility } from './use-column-visibility';
import { useColumnSizing } from './use-column-sizing';

export interface RunsTableProps extends RunRowsProps {
  /** The grid's accessible name; "Runs" when there is one table on screen. */
  label?: string;
  /** The runs in the server's order for `sort` (the table does not sort them again). */
  runs: Run[];
  /** Changes with the filter that chose `runs` (a new list: the scroll position is not kept across it). */
  filterKey: string;
  /** The sort the person picked; null: the view's `defaultSort` (shown with its arrow too). */
  sort: RunsSort | null;
  onSortChange: (sort: RunsSort | null) => void;
  /** The order the server answers when `sort` is null (newest first unless the view says otherwise). */
  defaultSort?: RunsSort;
  /** The status filter: a filter about outcomes keeps the Outcome column at any width. */
  statuses?: readonly string[];
  /** The columns the person chose to show; those that do not fit the width leave too (see `onLeftOut`). */
  columnVisibility: ColumnVisibility;
  /**
   * Say which columns the width leaves out (default). The home view's short sections do not: the table below them
   * says it once, and the line would take a row of their few.
   */
  noteLeftOut?: boolean;
  /**
   * The column headers are there for screen readers and the keyboard only (the home view's short sections: the
   * table below shows them once).
   */
  headerHidden?: boolean;
}

const NO_STATUSES: readonly string[] = [];
/** Tables narrower than this (a phone) use every column's minimum width. */
const COMPACT_BELOW = 600;
/** The rows' horizontal padding (px-3 on each side). */
const ROW_PADDING = 24;
/** Shift+Left/Right on a column header resizes it by this much. */
const RESIZE_STEP = 16;

export function RunsTable(props: RunsTableProps) {
  const { runs, sort, onSortChange, columnVisibility, renderRowActions, noteLeftOut = true } = props;
  const { defaultSort = DEFAULT_SORT, statuses = NO_STATUSES } = props;
  const shownSort = sort ?? defaultSort;
  const sorting = useMemo<SortingState>(() => [shownSort], [shownSort]);
  /** A header click: the sorted column turns around; another column starts in its first direction. */
  const sortBy = (columnId: string, descFirst: boolean) => {
    const next = { id: columnId, desc: shownSort.id === columnId ? !shownSort.desc : descFirst };
    onSortChange(next.id === defaultSort.id && next.desc === defaultSort.desc ? null : next);
  };
  const [columnSizing, setColumnSizing] = useColumnSizing();
  const [width, measure] = useElementWidth();

  // A phone-sized table lays its columns out at their minimum widths (status, run, time and more fit in a row).
  const compact = width > 0 && width < COMPACT_BELOW;
  // The columns the person shows that fit the width; the others leave, the lowest priority first.
  const fitting = useMemo(() => {
    const shown: { id: string; size: number; priority: number }[] = RUN_COLUMNS.filter(
      (column) => !column.hideable || columnVisibility[column.id] !== false,
    ).map((column) => ({
      id: column.id,
      size: compact ? column.minSize : Math.max(column.minSize, columnSizing[column.id] ?? column.size),
      priority: column.priority,
    }));
    if (renderRowActions) shown.push({ ...ACTIONS_COLUMN });
    // A phone keeps only the sorted column: the run cell's second line says the outcome when Outcome is left out.
    const keep = columnsToKeep(shownSort.id, compact ? NO_STATUSES : statuses);
    return width > 0
      ? columnsThatFit(shown, width - ROW_PADDING, keep)
      : new Set(shown.map((column) => column.id));
  }, [columnVisibility, columnSizing, renderRowActions, width, shownSort.id, statuses, compact]);
  // Only the columns shown are given to the table (no visibility feature needed: less code on the first screen).
  // Every column has an explicit id (runs-columns.tsx).
  const shownColumns = useMemo(() => runsColumns.filter((column) => fitting.has(column.id ?? '')), [fitting]);
  const leftOut = RUN_COLUMNS.filter(
    (column) => columnVisibility[column.id] !== false && !fitting.has(column.id),
  ).map((column) => column.label);
  const showActions = Boolean(renderRowActions) && fitting.has(ACTIONS_COLUMN.id);

  const table = useTable({
    features: runsTableFeatures,
    columns: shownColumns,
    data: runs,
    getRowId: (run) => run.id,
    state: { sorting },
    onSortingChange: (updater: Updater<SortingState>) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      onSortChange(next[0] ?? null);
    },
    enableMultiSort: false,
    // The server sorts (over all the data, not the loaded rows): the header only says which sort to ask for.
    manualSorting: true,
  });

  const visibleColumns = table.getAllLeafColumns();
  // Widths are the person's (dragged or keyed, remembered) or the column's default, never below its minimum.
  const sizeOf = (columnId: string) => {
    const meta = RUN_COLUMN_META[columnId];
    if (!meta) return 120;
    return compact ? meta.minSize : Math.max(meta.minSize, columnSizing[columnId] ?? meta.size);
  };
  // Every column takes a share of the room left, in proportion to its width (more for the `grow` ones): no width
  // stays blank and no text is cut beside an empty column.
  const tracks = visibleColumns.map((column) => {
    const weight = (sizeOf(column.id) * (1 + (column.columnDef.meta?.grow ?? 0))) / 100;
    return `minmax(${sizeOf(column.id)}px, ${weight.toFixed(2)}fr)`;
  });
  if (showActions) tracks.push(`${ACTIONS_COLUMN.size}px`);
  const gridTemplateColumns = tracks.join(' ');
  const minWidth =
    visibleColumns.reduce((sum, column) => sum + sizeOf(column.id), 0) +
    (showActions ? ACTIONS_COLUMN.size : 0) +
    ROW_PADDING;
  // Status and run id stay in view when the table scrolls sideways. Keyed by a string so memoized rows keep it.
  const pinnedKey = pinnedOffsets(visibleColumns, sizeOf);
  const pinnedLeft = useMemo(() => JSON.parse(pinnedKey) as Record<string, number>, [pinnedKey]);
  const rows = table.getRowModel().rows;

  const resizeColumn = (columnId: string, delta: number) => {
    const meta = RUN_COLUMN_META[columnId];
    if (!meta) return;
    setColumnSizing((previous) => ({
      ...previous,
      [columnId]: Math.max(meta.minSize, (previous[columnId] ?? meta.size) + delta),
    }));
  };
  const [dragging, setDragging] = useState<string | null>(null);
  /** Dragging a header's edge: the width follows the pointer (mouse or touch) until it is released. */
  const startResize = (columnId: string, event: React.MouseEvent | React.TouchEvent) => {
    const column = table.getColumn(columnId);
    if (!column) return;
    // No text selection while dragging with a mouse (touch: the handle has touch-action: none).
    if (!('touches' in event)) event.preventDefault();
    const xOf = (source: MouseEvent | TouchEvent | React.MouseEvent | React.TouchEvent) =>
      'touches' in source ? (source.touches[0]?.clientX ?? 0) : source.clientX;
    const startX = xOf(event);
    const startSize = sizeOf(column.id);
    const minSize = column.columnDef.meta?.minSize ?? 60;
    const move = (moved: MouseEvent | TouchEvent) =>
      setColumnSizing((previous) => ({
        ...previous,
        [columnId]: Math.max(minSize, Math.round(startSize + xOf(moved) - startX)),
      }));
    const end = () => {
      setDragging(null);
      for (const [type, listener] of listeners) document.removeEventListener(type, listener);
    };
    const listeners: [string, EventListener][] = [
      ['mousemove', move as EventListener],
      ['touchmove', move as EventListener],
      ['mouseup', end],
      ['touchend', end],
    ];
    for (const [type, listener] of listeners) document.addEventListener(type, listener);
    setDragging(columnId);
  };

  const renderHeader = (focusIndex: number | null) => (
    <div
      role="rowgroup"
      className={cx(props.headerHidden ? 'sr-only' : 'sticky top-0 z-10 border-b border-line bg-raised')}
    >
      {table.getHeaderGroups().map((group) => (
        <div
          role="row"
          aria-rowindex={1}
          key={group.id}
          className="grid h-8 items-center bg-raised px-3"
          style={{ gridTemplateColumns }}
        >
          {group.headers.map((header, index) => {
            const sorted = header.column.getIsSorted();
            const label = header.column.columnDef.meta?.label ?? header.column.id;
            const left = pinnedLeft[header.column.id];
            return (
              <div
                role="columnheader"
                key={header.id}
                aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
                className={cx(
                  'relative flex h-full min-w-0 items-center pr-2',
                  left !== undefined && 'sticky z-[1] bg-raised',
                )}
                style={left !== undefined ? { left } : undefined}
              >
                <button
                  type="button"
                  data-header-index={index}
                  data-column-id={header.column.id}
                  tabIndex={focusIndex === index ? 0 : -1}
                  // Not `disabled`: a column the server cannot sort by still takes focus (arrows, resizing).
                  aria-disabled={header.column.getCanSort() ? undefined : true}
                  onClick={
                    header.column.getCanSort()
                      ? () => sortBy(header.column.id, header.column.columnDef.sortDescFirst ?? false)
                      : undefined
                  }
                  className={cx(
                    'inline-flex max-w-full items-center gap-1 rounded text-xs font-medium',
                    header.column.getCanSort() ? 'hover:text-fg' : 'cursor-default',
                    sorted ? 'text-fg' : 'text-muted',
                  )}
                  title={header.column.getCanSort() ? `Sort by ${label}` : undefined}
                >
                  <span className="truncate">{label}</span>
                  <span aria-hidden="true" className={cx('text-[10px]', !sorted && 'opacity-0')}>
                    {sorted === 'asc' ? '▲' : '▼'}
                  </span>
                </button>
                <span
                  aria-hidden="true"
                  onMouseDown={(event) => startResize(header.column.id, event)}
                  onTouchStart={(event) => startResize(header.column.id, event)}
                  onDoubleClick={() =>
                    setColumnSizing((previous) => {
                      const { [header.column.id]: _reset, ...rest } = previous;
                      return rest;
                    })
                  }
                  title="Drag to resize; double-click resets"
                  className={cx(
                    'absolute inset-y-1 right-0.5 w-1.5 cursor-col-resize touch-none rounded select-none hover:bg-line-strong',
                    dragging === header.column.id && 'bg-accent',
                  )}
                />
              </div>
            );
          })}
          {showActions && (
            <div role="columnheader" className="min-w-0 text-xs font-medium text-muted">
              <span className="sr-only">{ACTIONS_COLUMN.label}</span>
            </div>
          )}
        </div>
      ))}
    </div>
  );

  return (
    <div ref={measure} className="flex min-h-0 flex-1 flex-col">
      {noteLeftOut && leftOut.length > 0 && (
        <p className="border-b border-line px-3 py-1 text-xs text-muted">
          Hidden at this width: {leftOut.join(', ')} (all in the run panel).
        </p>
      )}
      <RunsTableBody
        renderHeader={renderHeader}
        headerCount={visibleColumns.length}
        columnIdAt={(index) => visibleColumns[index]?.id ?? null}
        onResizeColumn={(columnId, direction) => resizeColumn(columnId, direction * RESIZE_STEP)}
        minWidth={`${minWidth}px`}
        columnCount={visibleColumns.length + (showActions ? 1 : 0)}
        rows={rows}
        orderKey={`${props.filterKey}|${sort ? sortParam(sort) : ''}`}
        sorted={sort !== null}
        table={table}
        gridTemplateColumns={gridTemplateColumns}
        pinnedLeft={pinnedLeft}
        selectedRunId={props.selectedRunId}
        onOpen={props.onOpen}
        onClose={props.onClose}
        hasMore={props.hasMore}
        loadingMore={props.loadingMore}
        onLoadMore={props.onLoadMore}
        arrivalsAfter={props.arrivalsAfter}
        loadedText={props.loadedText}
        label={props.label ?? 'Runs'}
        busy={props.busy}
        renderRowActions={showActions ? renderRowActions : undefined}
      />
    </div>
  );
}

function pinnedOffsets(
  columns: readonly { id: string; columnDef: { meta?: { priority: number } } }[],
  sizeOf: (columnId: string) => number,
) {
  const offsets: Record<string, number> = {};
  let left = 0;
  for (const column of columns) {
    if (column.columnDef.meta?.priority !== 0) break;
    offsets[column.id] = left;
    left += sizeOf(column.id);
  }
  return JSON.stringify(offsets);
}
