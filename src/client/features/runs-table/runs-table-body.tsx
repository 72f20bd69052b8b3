import { useVirtualizer } from '@tanstack/react-virtual';
import type { ReactTable, Row } from '@tanstack/react-table';
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { Run } from '../../../shared/openai-types';
import { Button } from '../../ui/button';
import { cx } from '../../ui/cx';
import type { runsTableFeatures } from './runs-table-features';

type RunsTableInstance = ReactTable<typeof runsTableFeatures, Run>;
type RunRow = Row<typeof runsTableFeatures, Run>;

const ROW_HEIGHT = 44;
const HEADER_HEIGHT = 33;
/** Start loading the next page when the person is this many rows from the end. */
const LOAD_AHEAD_ROWS = 25;

/** What the rows need from the table's owner: selection, opening, paging, arrivals and row controls. */
export interface RunRowsProps {
  selectedRunId: string | null;
  onOpen: (runId: string, options?: { replace?: boolean }) => void;
  onClose: () => void;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  /** Runs created after this time arrived while the table was open: they are highlighted. */
  arrivalsAfter: number;
  /** The footer's "100 of 10,000 runs loaded"; empty: no footer (a list that says its count elsewhere). */
  loadedText: string;
  /** A new filter or sort is being answered: the rows shown are the previous answer's. */
  busy?: boolean;
  /** Controls inside each row (e.g. cancel); a stable function, since rows are memoized. */
  renderRowActions?: (run: Run) => ReactNode;
}

export interface RunsTableBodyProps extends RunRowsProps {
  /**
   * The sticky header row, inside the same scroll container so both scroll sideways together. `focusIndex` is the
   * header that is the grid's Tab stop (the grid is one Tab stop: arrows move inside it), or null.
   */
  renderHeader: (focusIndex: number | null) => ReactNode;
  /** The grid's accessible name. */
  label: string;
  headerCount: number;
  columnIdAt: (index: number) => string | null;
  /** Shift+Left/Right on a header: narrower (-1) or wider (+1). */
  onResizeColumn: (columnId: string, direction: -1 | 1) => void;
  minWidth: string;
  columnCount: number;
  rows: RunRow[];
  /** Changes with the sort and the filter: what decides which rows show, in which order. */
  orderKey: string;
  /** The rows are sorted by a column (not in loaded order, newest first). */
  sorted: boolean;
  table: RunsTableInstance;
  gridTemplateColumns: string;
  /** Left offsets (px) of the pinned columns, by column id. */
  pinnedLeft: Record<string, number>;
}

/** The virtualized rows: only what is on screen is rendered, so 10,000 runs scroll like 10. */
export function RunsTableBody({
  renderHeader,
  label,
  busy,
  headerCount,
  columnIdAt,
  onResizeColumn,
  minWidth,
  columnCount,
  rows,
  orderKey,
  sorted,
  table,
  gridTemplateColumns,
  pinnedLeft,
  selectedRunId,
  onOpen,
  onClose,
  hasMore,
  loadingMore,
  onLoadMore,
  arrivalsAfter,
  loadedText,
  renderRowActions,
}: RunsTableBodyProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // The row that has keyboard focus, by run id so it survives new rows arriving above it.
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const [focusRequest, setFocusRequest] = useState(0);
  // The column header that has keyboard focus, while focus is on the header row rather than on a row.
  const [headerFocus, setHeaderFocus] = useState<number | null>(null);

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

  const onScroll = useKeepReadingPosition(scrollRef, rows, orderKey, sorted);
  const onFocusRow = useCallback((runId: string) => {
    setFocusedId(runId);
    setHeaderFocus(null);
  }, []);

  const focusedIndex = focusedId ? rows.findIndex((row) => row.id === focusedId) : -1;
  const tabStopId =
    headerFocus !== null ? null : focusedIndex >= 0 ? focusedId : (selectedRunId ?? rows[0]?.id ?? null);
  const headerTabStop =
    headerFocus !== null ? Math.min(headerFocus, headerCount - 1) : rows.length ? null : 0;

  function focusHeader(index: number) {
    const to = Math.min(headerCount - 1, Math.max(0, index));
    scrollRef.current?.querySelector<HTMLElement>(`[data-header-index="${to}"]`)?.focus();
  }

  useEffect(() => {
    if (focusRequest === 0 || !focusedId) return;
    scrollRef.current
      ?.querySelector<HTMLElement>(`[data-run-id="${CSS.escape(focusedId)}"]`)
      ?.focus({ preventScroll: true });
  }, [focusRequest, focusedId]);

  function moveFocus(delta: number) {
    if (rows.length === 0) return;
    const from =
      focusedIndex >= 0
        ? focusedIndex
        : Math.max(
            0,
            rows.findIndex((row) => row.id === selectedRunId),
          );
    const to = Math.min(rows.length - 1, Math.max(0, from + delta));
    const target = rows[to]!;
    virtualizer.scrollToIndex(to, { align: 'auto' });
    setFocusedId(target.id);
    setHeaderFocus(null);
    setFocusRequest((count) => count + 1);
    // With the panel open, moving through rows shows each run in it (without a history entry per key).
    if (selectedRunId) onOpen(target.id, { replace: true });
  }

  function onHeaderKeyDown(event: React.KeyboardEvent<HTMLDivElement>, index: number) {
    const columnId = columnIdAt(index);
    switch (event.key) {
      case 'ArrowLeft':
      case 'ArrowRight': {
        event.preventDefault();
        const direction = event.key === 'ArrowLeft' ? -1 : 1;
        if (event.shiftKey && columnId) onResizeColumn(columnId, direction);
        else focusHeader(index + direction);
        break;
      }
      case 'Home':
        event.preventDefault();
        focusHeader(0);
        break;
      case 'End':
        event.preventDefault();
        focusHeader(headerCount - 1);
        break;
      case 'ArrowDown':
      case 'j':
        event.preventDefault();
        moveFocus(0);
        break;
      case 'Escape':
        if (selectedRunId) {
          event.preventDefault();
          onClose();
        }
        break;
    }
  }

  function onKeyDown(event: React.KeyboardEvent<HTMLDivElement>) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const headerIndex = (event.target as HTMLElement).dataset.headerIndex;
    if (headerIndex !== undefined) {
      onHeaderKeyDown(event, Number(headerIndex));
      return;
    }
    if ((event.target as HTMLElement).closest('button') && event.key === 'Enter') return;
    switch (event.key) {
      case 'ArrowDown':
      case 'j':
        event.preventDefault();
        moveFocus(1);
        break;
      case 'ArrowUp':
      case 'k':
        event.preventDefault();
        if (focusedIndex === 0 || rows.length === 0) focusHeader(headerFocus ?? 0);
        else moveFocus(-1);
        break;
      case 'Home':
        event.preventDefault();
        moveFocus(-rows.length);
        break;
      case 'End':
        event.preventDefault();
        moveFocus(rows.length);
        break;
      case 'PageDown':
        event.preventDefault();
        moveFocus(10);
        break;
      case 'PageUp':
        event.preventDefault();
        moveFocus(-10);
        break;
      case 'Enter': {
        const id = focusedIndex >= 0 ? focusedId : tabStopId;
        if (id) {
          event.preventDefault();
          onOpen(id);
        }
        break;
      }
      case 'Escape':
        if (selectedRunId) {
          event.preventDefault();
          onClose();
        }
        break;
    }
  }

  return (
    <div
      ref={scrollRef}
      onKeyDown={onKeyDown}
      onScroll={onScroll}
      onFocus={(event) => {
        const index = (event.target as HTMLElement).dataset.headerIndex;
        if (index !== undefined) setHeaderFocus(Number(index));
      }}
      className="relative min-h-0 flex-1 overflow-auto [overflow-anchor:none]"
    >
      <div
        role="grid"
        aria-label={label}
        aria-busy={busy ? true : undefined}
        aria-rowcount={rows.length + 1}
        aria-colcount={columnCount}
        style={{ minWidth }}
      >
        {renderHeader(headerTabStop)}
        <div role="rowgroup" className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index]!;
            return (
              <RunRowView
                key={row.id}
                row={row}
                table={table}
                index={item.index}
                start={item.start - HEADER_HEIGHT}
                gridTemplateColumns={gridTemplateColumns}
                pinnedLeft={pinnedLeft}
                selected={row.id === selectedRunId}
                tabStop={row.id === tabStopId}
                arrived={row.original.created_at > arrivalsAfter}
                onOpen={onOpen}
                onFocusRow={onFocusRow}
                renderRowActions={renderRowActions}
              />
            );
          })}
        </div>
      </div>
      {(loadedText || hasMore) && (
        <div className="sticky left-0 flex items-center justify-center gap-3 px-3 py-2 text-xs text-muted">
          <span role="status">{loadedText}</span>
          {hasMore && (
            <Button size="sm" onClick={onLoadMore} disabled={loadingMore}>
              {loadingMore ? 'Loading…' : 'Load more'}
            </Button>
          )}
        </div>
      )}
    </div>
  );
}

interface ReadingAnchor {
  /** The first row in view, where the person is reading. */
  id: string;
  run: Run;
  index: number;
  scrollTop: number;
  orderKey: string;
}

/**
 * When rows are added or removed above the one the person is reading (runs arriving at the top, runs leaving a status
 * filter), that row would slide; this scrolls by the same amount so the view stays still. At the very top, new runs
 * simply show. A new sort or filter is a new list: the scroll position is left alone then. Under a sort, a run that
 * changed (it ended, its tokens grew) may move by its own key: the view stays where it is rather than follow it.
 *
 * The anchor is taken on scroll, and looked for again only when the row at its index changed, so a sort or a poll
 * over 10,000 rows costs nothing here. Returns the scroll handler.
 */
function useKeepReadingPosition(
  scrollRef: React.RefObject<HTMLDivElement | null>,
  rows: RunRow[],
  orderKey: string,
  sorted: boolean,
): () => void {
  const anchor = useRef<ReadingAnchor | null>(null);
  const latest = useRef({ rows, orderKey });
  useLayoutEffect(() => {
    latest.current = { rows, orderKey };
    const element = scrollRef.current;
    const previous = anchor.current;
    if (!element || !previous) return;
    const atIndex = rows[previous.index];
    if (previous.orderKey === orderKey && atIndex?.id === previous.id) {
      // Still in place; keep its latest version, so a later move is told apart from a change of its own.
      anchor.current = { ...previous, run: atIndex.original };
      return;
    }
    const movedTo = previous.orderKey === orderKey ? rows.findIndex((row) => row.id === previous.id) : -1;
    const moved = rows[movedTo];
    if (!moved || (sorted && moved.original !== previous.run)) {
      // A new order, the row left the list, or it moved by its own new key: read on from the row now at the same place.
      anchor.current = atIndex ? { ...previous, id: atIndex.id, run: atIndex.original, orderKey } : null;
      return;
    }
    const scrollTop = Math.max(0, previous.scrollTop + (movedTo - previous.index) * ROW_HEIGHT);
    anchor.current = { ...previous, run: moved.original, index: movedTo, scrollTop };
    element.scrollTop = scrollTop;
  }, [scrollRef, rows, orderKey, sorted]);

  return useCallback(() => {
    const element = scrollRef.current;
    if (!element) return;
    const { scrollTop } = element;
    const index = Math.floor(scrollTop / ROW_HEIGHT);
    const row = latest.current.rows[index];
    anchor.current =
      scrollTop > 0 && row
        ? { id: row.id, run: row.original, index, scrollTop, orderKey: latest.current.orderKey }
        : null;
  }, [scrollRef]);
}

interface RunRowViewProps {
  row: RunRow;
  table: RunsTableInstance;
  index: number;
  start: number;
  gridTemplateColumns: string;
  pinnedLeft: Record<string, number>;
  selected: boolean;
  tabStop: boolean;
  arrived: boolean;
  onOpen: (runId: string) => void;
  onFocusRow: (runId: string) => void;
  renderRowActions?: (run: Run) => ReactNode;
}

const RunRowView = memo(function RunRowView({
  row,
  table,
  index,
  start,
  gridTemplateColumns,
  pinnedLeft,
  selected,
  tabStop,
  arrived,
  onOpen,
  onFocusRow,
  renderRowActions,
}: RunRowViewProps) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-run-id={row.id}
      data-status={row.original.status}
      tabIndex={tabStop ? 0 : -1}
      onClick={() => onOpen(row.id)}
      onFocus={() => onFocusRow(row.id)}
      className={cx(
        'absolute top-0 left-0 grid w-full cursor-pointer items-center border-b border-line px-3 outline-none',
        // Fixed size: a row's layout and paint never reach beyond it, so re-laying out changed rows stays local.
        '[contain:strict]',
        'focus-visible:z-10 focus-visible:ring-2 focus-visible:ring-focus focus-visible:ring-inset',
        selected ? 'bg-selected' : 'bg-surface hover:bg-raised',
        arrived && !selected && 'animate-arrive',
      )}
      style={{ gridTemplateColumns, height: ROW_HEIGHT, transform: `translateY(${start}px)` }}
    >
      {selected && <span aria-hidden="true" className="absolute inset-y-0 left-0 w-0.5 bg-accent" />}
      {row.getAllCells().map((cell) => {
        const left = pinnedLeft[cell.column.id];
        return (
          <div
            role="gridcell"
            key={cell.id}
            className={cx(
              'flex h-full min-w-0 items-center pr-2',
              left !== undefined && 'sticky z-[1] bg-inherit',
            )}
            style={left !== undefined ? { left } : undefined}
          >
            <div className="min-w-0 flex-1">
              <table.FlexRender cell={cell} />
            </div>
          </div>
        );
      })}
      {renderRowActions && (
        <div role="gridcell" className="flex min-w-0 justify-end">
          {renderRowActions(row.original)}
        </div>
      )}
    </div>
  );
});
