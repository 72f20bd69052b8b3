// @vitest-environment jsdom
import { renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { RUN_COLUMNS } from '../../lib/run-columns';
import { useColumnLayout } from './use-column-layout';

const ALL_SHOWN = {};
const NO_WIDTHS = {};
const NO_STATUSES: string[] = [];

function layoutAt(width: number, sizing: Record<string, number> = NO_WIDTHS, withActions = false) {
  return renderHook(
    ({ width, sizing }) => useColumnLayout(width, ALL_SHOWN, sizing, withActions, 'created', NO_STATUSES),
    { initialProps: { width, sizing } },
  );
}

describe('the runs table column layout', () => {
  it('shows every column when there is room, pinning Status and Run at the left', () => {
    const { result } = layoutAt(2400, NO_WIDTHS, true);
    expect(result.current.columnIds).toEqual(RUN_COLUMNS.map((column) => column.id));
    expect(result.current.showActions).toBe(true);
    expect(result.current.leftOut).toEqual([]);
    expect(result.current.pinnedLeft).toEqual({ status: 0, id: 108 });
    expect(result.current.minWidth).toBe(`${RUN_COLUMNS.reduce((sum, c) => sum + c.size, 0) + 72 + 24}px`);
  });

  it('leaves columns out by priority when narrow, never the sorted one, and says which', () => {
    const { result } = layoutAt(700);
    expect(result.current.columnIds).toContain('created');
    expect(result.current.columnIds).not.toContain('metadata');
    expect(result.current.leftOut).toContain('Metadata');
    expect(result.current.columnIds.length + result.current.leftOut.length).toBe(RUN_COLUMNS.length);
  });

  it('uses the minimum widths on a phone', () => {
    const { result } = layoutAt(390);
    expect(result.current.sizeOf('id')).toBe(140);
  });

  it("keeps the person's widths, never below a column's minimum", () => {
    const { result } = layoutAt(2400, { id: 300, tokens: 10 });
    expect(result.current.sizeOf('id')).toBe(300);
    expect(result.current.sizeOf('tokens')).toBe(72);
  });

  it('keeps its identity while the same columns show at another width (memoized rows do not re-render)', () => {
    const { result, rerender } = layoutAt(2400);
    const first = result.current;
    rerender({ width: 2300, sizing: NO_WIDTHS });
    expect(result.current).toBe(first);
    rerender({ width: 700, sizing: NO_WIDTHS });
    expect(result.current).not.toBe(first);
  });
});
