import { useTable } from '@tanstack/react-table';
import type { SortingState } from '@tanstack/react-table';
import { useMemo } from 'react';
import type { Run } from '../../../shared/openai-types';
import { useElementWidth } from '../../hooks/use-element-width';
import { DEFAULT_SORT } from '../../lib/run-columns';
import type { RunsSort } from '../../lib/view-state';
import { sortParam } from '../../lib/view-state';
import { runsColumns } from './runs-columns';
import { runsTableFeatures } from './runs-table-features';
import { RunsTableBody } from './runs-table-body';
import type { RunRowsProps } from './runs-table-body';
import { RunsTableHeader } from './runs-table-header';
import { useColumnLayout } from './use-column-layout';
import { useColumnResize } from './use-column-resize';
import type { ColumnVisibility } from './use-column-visibility';

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
  /** The columns the person chose to show; those that do not fit the width leave too (see `noteLeftOut`). */
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

/**
 * The runs table: a grid whose columns fit its width (use-column-layout.ts), sorted by the server (a header click
 * asks for another sort), resizable (use-column-resize.ts), with virtualized rows (runs-table-body.tsx).
 */
export function RunsTable(props: RunsTableProps) {
  const { runs, sort, onSortChange, renderRowActions, noteLeftOut = true } = props;
  const { defaultSort = DEFAULT_SORT, statuses = NO_STATUSES } = props;
  const shownSort = sort ?? defaultSort;
  const sorting = useMemo<SortingState>(() => [shownSort], [shownSort]);
  /** A header click: the sorted column turns around; another column starts in its first direction. */
  const sortBy = (columnId: string, descFirst: boolean) => {
    const next = { id: columnId, desc: shownSort.id === columnId ? !shownSort.desc : descFirst };
    onSortChange(next.id === defaultSort.id && next.desc === defaultSort.desc ? null : next);
  };
  const resize = useColumnResize();
  const [width, measure] = useElementWidth();
  const layout = useColumnLayout(
    width,
    props.columnVisibility,
    resize.columnSizing,
    Boolean(renderRowActions),
    shownSort.id,
    statuses,
  );
  // Only the columns shown are given to the table (no visibility feature needed: less code on the first screen).
  // Every column has an explicit id (runs-columns.tsx).
  const columns = useMemo(
    () => runsColumns.filter((column) => layout.columnIds.includes(column.id!)),
    [layout.columnIds],
  );

  const table = useTable({
    features: runsTableFeatures,
    columns,
    data: runs,
    getRowId: (run) => run.id,
    // The sort shown (its arrow): a header click asks for another (`sortBy`), which the server answers.
    state: { sorting },
    // The server sorts (over all the data, not the loaded rows): the header only says which sort to ask for.
    manualSorting: true,
  });

  return (
    <div ref={measure} className="flex min-h-0 flex-1 flex-col">
      {noteLeftOut && layout.leftOut.length > 0 && (
        <p className="border-b border-line px-3 py-1 text-xs text-muted">
          Hidden at this width: {layout.leftOut.join(', ')} (all in the run panel).
        </p>
      )}
      <RunsTableBody
        {...props}
        label={props.label ?? 'Runs'}
        table={table}
        rows={table.getRowModel().rows}
        layout={layout}
        renderHeader={(focusIndex) => (
          <RunsTableHeader
            table={table}
            layout={layout}
            resize={resize}
            focusIndex={focusIndex}
            onSort={sortBy}
            hidden={props.headerHidden}
          />
        )}
        onResizeColumn={resize.step}
        orderKey={`${props.filterKey}|${sort ? sortParam(sort) : ''}`}
        sorted={sort !== null}
        renderRowActions={layout.showActions ? renderRowActions : undefined}
      />
    </div>
  );
}
