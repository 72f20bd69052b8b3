import { useTable } from '@tanstack/react-table';
import type { SortingState, Updater } from '@tanstack/react-table';
import { useMemo } from 'react';
import type { ReactNode } from 'react';
import type { Run } from '../../../shared/openai-types';
import type { RunsSort } from '../../lib/sort-runs';
import { sortParam } from '../../lib/view-state';
import { cx } from '../../ui/cx';
import { COLUMN_WIDTHS, runsColumns } from './runs-columns';
import { runsTableFeatures } from './runs-table-features';
import { RunsTableBody } from './runs-table-body';
import type { ColumnVisibility } from './use-column-visibility';

export interface RunsTableProps {
  /** The grid's accessible name; "Runs" when there is one table on screen. */
  label?: string;
  /** The runs in the server's order for `sort` (the table does not sort them again). */
  runs: Run[];
  /** Changes with the filter that chose `runs` (a new list: the scroll position is not kept across it). */
  filterKey: string;
  sort: RunsSort | null;
  onSortChange: (sort: RunsSort | null) => void;
  columnVisibility: ColumnVisibility;
  selectedRunId: string | null;
  onOpen: (runId: string, options?: { replace?: boolean }) => void;
  onClose: () => void;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  /** Runs created after this time arrived while the table was open: they are highlighted. */
  arrivalsAfter: number;
  /** The footer's line: how many runs are loaded of how many match. */
  loadedText: string;
  /** A new filter or sort is being answered: the rows shown are the previous answer's. */
  busy?: boolean;
  /** Controls inside each row (e.g. cancel); a stable function, since rows are memoized. */
  renderRowActions?: (run: Run) => ReactNode;
}

const NO_SORT: SortingState = [];

export function RunsTable(props: RunsTableProps) {
  const { runs, sort, onSortChange, columnVisibility } = props;
  const sorting = useMemo<SortingState>(() => (sort ? [sort] : NO_SORT), [sort]);
  const table = useTable({
    features: runsTableFeatures,
    columns: runsColumns,
    data: runs,
    getRowId: (run) => run.id,
    state: { sorting, columnVisibility },
    onSortingChange: (updater: Updater<SortingState>) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      onSortChange(next[0] ?? null);
    },
    onColumnVisibilityChange: () => {},
    enableMultiSort: false,
    // The server sorts (over all the data, not the loaded rows): the header only says which sort to ask for.
    manualSorting: true,
  });

  const visibleColumns = table.getVisibleLeafColumns();
  const gridTemplateColumns = visibleColumns
    .map((column) => COLUMN_WIDTHS[column.id]?.track ?? '1fr')
    .join(' ');
  const minWidthRem = visibleColumns.reduce(
    (sum, column) => sum + (COLUMN_WIDTHS[column.id]?.minRem ?? 6),
    1.5,
  );
  const rows = table.getRowModel().rows;

  return (
    <div
      role="grid"
      aria-label={props.label ?? 'Runs'}
      aria-rowcount={rows.length + 1}
      aria-busy={props.busy ? true : undefined}
      aria-colcount={visibleColumns.length}
      className="flex min-h-0 flex-1 flex-col"
    >
      <RunsTableBody
        header={
          <div role="rowgroup" className="sticky top-0 z-10 border-b border-line bg-raised">
            {table.getHeaderGroups().map((group) => (
              <div
                role="row"
                aria-rowindex={1}
                key={group.id}
                className="grid h-8 items-center px-3"
                style={{ gridTemplateColumns }}
              >
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  return (
                    <div
                      role="columnheader"
                      key={header.id}
                      aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
                      className="min-w-0 pr-2"
                    >
                      <button
                        type="button"
                        disabled={!header.column.getCanSort()}
                        onClick={header.column.getToggleSortingHandler()}
                        className={cx(
                          'inline-flex max-w-full items-center gap-1 rounded text-xs font-medium hover:text-fg',
                          sorted ? 'text-fg' : 'text-muted',
                        )}
                        title={
                          header.column.getCanSort()
                            ? `Sort by ${String(header.column.columnDef.header)}`
                            : undefined
                        }
                      >
                        <span className="truncate">
                          <table.FlexRender header={header} />
                        </span>
                        <span aria-hidden="true" className={cx('text-[10px]', !sorted && 'opacity-0')}>
                          {sorted === 'asc' ? '▲' : '▼'}
                        </span>
                      </button>
                    </div>
                  );
                })}
              </div>
            ))}
          </div>
        }
        minWidth={`${minWidthRem}rem`}
        rows={rows}
        orderKey={`${props.filterKey}|${sort ? sortParam(sort) : ''}`}
        sorted={sort !== null}
        table={table}
        gridTemplateColumns={gridTemplateColumns}
        selectedRunId={props.selectedRunId}
        onOpen={props.onOpen}
        onClose={props.onClose}
        hasMore={props.hasMore}
        loadingMore={props.loadingMore}
        onLoadMore={props.onLoadMore}
        arrivalsAfter={props.arrivalsAfter}
        loadedText={props.loadedText}
        renderRowActions={props.renderRowActions}
      />
    </div>
  );
}
