import { useState } from 'react';
import { RUN_COLUMN_META } from '../../lib/run-columns';
import { useColumnSizing } from './use-column-sizing';

/** Shift+Left/Right on a column header resizes it by this much. */
const RESIZE_STEP = 16;

type PointerEvent = MouseEvent | TouchEvent | React.MouseEvent | React.TouchEvent;
const xOf = (event: PointerEvent) => ('touches' in event ? (event.touches[0]?.clientX ?? 0) : event.clientX);

/**
 * The widths the person gives the columns (remembered: useColumnSizing), never below a column's minimum: dragging a
 * header's edge with a mouse or a finger (the width follows the pointer until it is released), Shift+Left/Right on a
 * header, a double-click on the edge to go back to the default.
 */
export function useColumnResize() {
  const [columnSizing, setColumnSizing] = useColumnSizing();
  const [dragging, setDragging] = useState<string | null>(null);

  const resize = (columnId: string, width: (stored: number) => number) => {
    const { minSize, size } = RUN_COLUMN_META[columnId]!;
    setColumnSizing((previous) => ({
      ...previous,
      [columnId]: Math.max(minSize, Math.round(width(previous[columnId] ?? size))),
    }));
  };

  return {
    columnSizing,
    /** The column being dragged, or null. */
    dragging,
    /** Shift+Left/Right on a header: narrower (-1) or wider (+1). */
    step: (columnId: string, direction: -1 | 1) =>
      resize(columnId, (stored) => stored + direction * RESIZE_STEP),
    reset: (columnId: string) =>
      setColumnSizing((previous) => {
        const { [columnId]: _reset, ...rest } = previous;
        return rest;
      }),
    /** A press on a header's edge starts dragging it from its width now, `startSize`. */
    start: (columnId: string, startSize: number, event: React.MouseEvent | React.TouchEvent) => {
      // No text selection while dragging with a mouse (touch: the handle has touch-action: none).
      if (!('touches' in event)) event.preventDefault();
      const startX = xOf(event);
      const move = (moved: MouseEvent | TouchEvent) =>
        resize(columnId, () => startSize + xOf(moved) - startX);
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
    },
  };
}

export type ColumnResize = ReturnType<typeof useColumnResize>;
