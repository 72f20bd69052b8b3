import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import type { Run } from '../../../shared/openai-types';
import { navigate, useOpenRunId } from '../../hooks/use-view-state';
import type { RunRow, RunsTableInstance } from './runs-table-features';
import { RunsTableFooter } from './runs-table-footer';
import { ROW_HEIGHT, RunsTableRow } from './runs-table-row';
import type { ColumnLayout } from './use-column-layout';
import { useGridKeyboard } from './use-grid-keyboard';
import type { OpenRun } from './use-grid-keyboard';
import { useKeepReadingPosition } from './use-keep-reading-position';

const HEADER_HEIGHT = 33;
/** Start loading the next page when the person is this many rows from the end. */
const LOAD_AHEAD_ROWS = 25;

/** What the rows need from the table's owner: opening, paging, arrivals and row controls. */
export interface RunRowsProps {
  /** Opening a run (a click, Enter); by default it opens in this view's panel (the URL's `run`). */
  onOpen?: OpenRun;
  hasMore?: boolean;
  loadingMore?: boolean;
  onLoadMore?: () => void;
  /** Runs created after this time arrived while the table was open: they are highlighted. */
  arrivalsAfter?: number;
  /** The footer's "100 of 10,000 runs loaded"; empty: no footer (a list that says its count elsewhere). */
  loadedText?: string;
  /** A new filter or sort is being answered: the rows shown are the previous answer's. */
  busy?: boolean;
  /** Controls inside each row (e.g. cancel); a stable function, since rows are memoized. */
  renderRowActions?: (run: Run) => ReactNode;
}

export interface RunsTableBodyProps extends RunRowsProps {
  table: RunsTableInstance;
  rows: RunRow[];
  layout: ColumnLayout;
  /** The grid's accessible name. */
  label: string;
  /** The header row, given the header that is the grid's Tab stop (or null): it scrolls sideways with the rows. */
  renderHeader: (focusIndex: number | null) => ReactNode;
  onResizeColumn: (columnId: string, direction: -1 | 1) => void;
  /** Changes with the sort and the filter: what decides which rows show, in which order. */
  orderKey: string;
  /** The rows are sorted by a column (not in loaded order, newest first). */
  sorted: boolean;
}

const openInPanel: OpenRun = (runId, options) => navigate({ run: runId }, options);

/** The virtualized rows: only what is on screen is rendered, so 10,000 runs scroll like 10. */
export function RunsTableBody(props: RunsTableBodyProps) {
  const {
    rows,
    layout,
    hasMore = false,
    loadingMore = false,
    onLoadMore = noop,
    onOpen = openInPanel,
  } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const openRunId = useOpenRunId();

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => rows[index]?.id ?? index,
    // A few rows beyond each edge: enough for a fast fling's next frame, few enough that a sort re-renders little.
    overscan: 4,
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (hasMore && !loadingMore && rows.length > 0 && lastIndex >= rows.length - LOAD_AHEAD_ROWS)
      onLoadMore();
  }, [hasMore, loadingMore, lastIndex, rows.length, onLoadMore]);

  const onScroll = useKeepReadingPosition(scrollRef, rows, props.orderKey, props.sorted);
  const keyboard = useGridKeyboard(
    scrollRef,
    rows,
    openRunId,
    layout.columnIds,
    onOpen,
    props.onResizeColumn,
    (index) => virtualizer.scrollToIndex(index, { align: 'auto' }),
  );
  const arrivalsAfter = props.arrivalsAfter ?? Number.POSITIVE_INFINITY;

  return (
    <div
      ref={scrollRef}
      onKeyDown={keyboard.onKeyDown}
      onScroll={onScroll}
      onFocus={keyboard.onFocus}
      className="relative min-h-0 flex-1 overflow-auto [overflow-anchor:none]"
    >
      <div
        role="grid"
        aria-label={props.label}
        aria-busy={props.busy ? true : undefined}
        aria-rowcount={rows.length + 1}
        aria-colcount={layout.columnIds.length + (layout.showActions ? 1 : 0)}
        style={{ minWidth: layout.minWidth }}
      >
        {props.renderHeader(keyboard.headerTabStop)}
        <div role="rowgroup" className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index]!;
            return (
              <RunsTableRow
                key={row.id}
                row={row}
                table={props.table}
                index={item.index}
                start={item.start - HEADER_HEIGHT}
                layout={layout}
                selected={row.id === openRunId}
                tabStop={row.id === keyboard.tabStopId}
                arrived={row.original.created_at > arrivalsAfter}
                onOpen={onOpen}
                onFocusRow={keyboard.onFocusRow}
                renderRowActions={props.renderRowActions}
              />
            );
          })}
        </div>
      </div>
      <RunsTableFooter
        loadedText={props.loadedText ?? ''}
        hasMore={hasMore}
        loadingMore={loadingMore}
        onLoadMore={onLoadMore}
      />
    </div>
  );
}

const noop = () => {};
