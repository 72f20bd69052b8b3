import { useCallback, useEffect, useState } from 'react';
import { navigate } from '../../hooks/use-view-state';
import type { RunRow } from './runs-table-features';

export type OpenRun = (runId: string, options?: { replace?: boolean }) => void;

/**
 * The grid is one Tab stop with roving focus: ↑/↓/j/k/Home/End/PgUp/PgDn move between rows (with the panel open,
 * each run shows in it), Enter opens, Escape closes the panel, ↑ on the first row reaches the column headers, ←/→
 * move between them (with Shift: resize), ↓ goes back to the rows. The focused row is kept by run id, so it survives
 * new rows arriving above it. Returns the Tab stops and the handlers for the grid's container and its rows.
 *
 * @param openRunId the run open in the panel (from the URL), or null
 * @param columnIds the header row's columns, in order
 * @param onResizeColumn Shift+Left/Right on a header: narrower (-1) or wider (+1)
 * @param scrollToIndex brings a row into view (the virtualizer's: the row may not be rendered yet)
 */
export function useGridKeyboard(
  scrollRef: React.RefObject<HTMLDivElement | null>,
  rows: RunRow[],
  openRunId: string | null,
  columnIds: readonly string[],
  onOpen: OpenRun,
  onResizeColumn: (columnId: string, direction: -1 | 1) => void,
  scrollToIndex: (index: number) => void,
) {
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const [focusRequest, setFocusRequest] = useState(0);
  // The column header that has keyboard focus, while focus is on the header row rather than on a row.
  const [headerFocus, setHeaderFocus] = useState<number | null>(null);
  const headerCount = columnIds.length;

  const focusedIndex = focusedId ? rows.findIndex((row) => row.id === focusedId) : -1;
  const tabStopId =
    headerFocus !== null ? null : focusedIndex >= 0 ? focusedId : (openRunId ?? rows[0]?.id ?? null);
  const headerTabStop =
    headerFocus !== null ? Math.min(headerFocus, headerCount - 1) : rows.length ? null : 0;

  useEffect(() => {
    if (focusRequest === 0 || !focusedId) return;
    scrollRef.current
      ?.querySelector<HTMLElement>(`[data-run-id="${CSS.escape(focusedId)}"]`)
      ?.focus({ preventScroll: true });
  }, [scrollRef, focusRequest, focusedId]);

  function focusHeader(index: number) {
    const to = Math.min(headerCount - 1, Math.max(0, index));
    scrollRef.current?.querySelector<HTMLElement>(`[data-header-index="${to}"]`)?.focus();
  }

  function moveFocus(delta: number) {
    if (rows.length === 0) return;
    const from =
      focusedIndex >= 0
        ? focusedIndex
        : Math.max(
            0,
            rows.findIndex((row) => row.id === openRunId),
          );
    const to = Math.min(rows.length - 1, Math.max(0, from + delta));
    const target = rows[to]!;
    scrollToIndex(to);
    setFocusedId(target.id);
    setHeaderFocus(null);
    setFocusRequest((count) => count + 1);
    // With the panel open, moving through rows shows each run in it (without a history entry per key).
    if (openRunId) onOpen(target.id, { replace: true });
  }

  /** The keys shared by rows and headers; false when the key is not one of them. */
  function onKey(key: string, moves: Record<string, () => void>): boolean {
    const move = moves[key];
    if (move) move();
    else if (key === 'Escape' && openRunId) navigate({ run: null });
    else return false;
    return true;
  }

  function onHeaderKeyDown(event: React.KeyboardEvent<HTMLDivElement>, index: number) {
    const columnId = columnIds[index];
    const sideways = (direction: -1 | 1) => () =>
      event.shiftKey && columnId ? onResizeColumn(columnId, direction) : focusHeader(index + direction);
    const handled = onKey(event.key, {
      ArrowLeft: sideways(-1),
      ArrowRight: sideways(1),
      Home: () => focusHeader(0),
      End: () => focusHeader(headerCount - 1),
      ArrowDown: () => moveFocus(0),
      j: () => moveFocus(0),
    });
    if (handled) event.preventDefault();
  }

  function onKeyDown(event: React.KeyboardEvent<HTMLDivElement>) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target as HTMLElement;
    const headerIndex = target.dataset.headerIndex;
    if (headerIndex !== undefined) return onHeaderKeyDown(event, Number(headerIndex));
    if (target.closest('button') && event.key === 'Enter') return;
    const up = () =>
      focusedIndex === 0 || rows.length === 0 ? focusHeader(headerFocus ?? 0) : moveFocus(-1);
    const openId = focusedIndex >= 0 ? focusedId : tabStopId;
    const handled = onKey(event.key, {
      ArrowDown: () => moveFocus(1),
      j: () => moveFocus(1),
      ArrowUp: up,
      k: up,
      Home: () => moveFocus(-rows.length),
      End: () => moveFocus(rows.length),
      PageDown: () => moveFocus(10),
      PageUp: () => moveFocus(-10),
      ...(openId ? { Enter: () => onOpen(openId) } : {}),
    });
    if (handled) event.preventDefault();
  }

  const onFocusRow = useCallback((runId: string) => {
    setFocusedId(runId);
    setHeaderFocus(null);
  }, []);

  return {
    /** The row that is the grid's Tab stop (by run id), or null when a header is. */
    tabStopId,
    /** The header that is the grid's Tab stop, or null when a row is. */
    headerTabStop,
    onKeyDown,
    /** On the grid's container: a header taking focus becomes the header row's Tab stop. */
    onFocus: (event: React.FocusEvent<HTMLDivElement>) => {
      const index = (event.target as HTMLElement).dataset.headerIndex;
      if (index !== undefined) setHeaderFocus(Number(index));
    },
    onFocusRow,
  };
}
