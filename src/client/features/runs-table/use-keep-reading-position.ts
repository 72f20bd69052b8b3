import { useCallback, useLayoutEffect, useRef } from 'react';
import type { Run } from '../../../shared/openai-types';
import type { RunRow } from './runs-table-features';
import { ROW_HEIGHT } from './runs-table-row';

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
 * simply show. A new sort or filter (a new `orderKey`) is a new list: the scroll position is left alone then. Under a
 * sort (`sorted`), a run that changed (it ended, its tokens grew) may move by its own key: the view stays where it is
 * rather than follow it.
 *
 * The anchor is taken on scroll, and looked for again only when the row at its index changed, so a sort or a poll
 * over 10,000 rows costs nothing here. Returns the scroll handler.
 */
export function useKeepReadingPosition(
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
