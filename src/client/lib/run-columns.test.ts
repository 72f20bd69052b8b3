import { describe, expect, it } from 'vitest';
import { ACTIONS_COLUMN, columnsThatFit, columnsToKeep, RUN_COLUMNS } from './run-columns';

const all = [...RUN_COLUMNS.map(({ id, size, priority }) => ({ id, size, priority })), { ...ACTIONS_COLUMN }];
const widthOf = (ids: Set<string>) =>
  all.filter((column) => ids.has(column.id)).reduce((sum, c) => sum + c.size, 0);

describe('columnsThatFit', () => {
  it('keeps every column when there is room', () => {
    expect(columnsThatFit(all, 5_000)).toEqual(new Set(all.map((column) => column.id)));
  });

  it('lets the lowest-priority columns leave first, and never the pinned status and run id', () => {
    const fit = columnsThatFit(all, 1_000);
    expect(widthOf(fit)).toBeLessThanOrEqual(1_000);
    expect(fit.has('metadata')).toBe(false);
    expect(fit.has('model')).toBe(false);
    expect(fit.has('created')).toBe(true);
    const phone = columnsThatFit(all, 300);
    expect(phone).toEqual(new Set(['status', 'id']));
  });

  it('keeps the sorted column and the outcome of an outcome filter at any width', () => {
    const keep = columnsToKeep('tokens', ['failed']);
    expect(keep).toEqual(new Set(['tokens', 'outcome']));
    expect(columnsToKeep('created', ['queued'])).toEqual(new Set(['created']));
    const phone = columnsThatFit(all, 300, keep);
    expect(phone).toEqual(new Set(['status', 'id', 'tokens', 'outcome']));
  });

  it('takes back a dropped column that fits in the room left, so no width stays blank', () => {
    const columns = [
      { id: 'status', size: 100, priority: 0 },
      { id: 'wide', size: 300, priority: 3 },
      { id: 'narrow', size: 80, priority: 5 },
    ];
    // Dropping by priority takes "narrow" then "wide"; "narrow" fits again in what "wide" left.
    expect(columnsThatFit(columns, 250)).toEqual(new Set(['status', 'narrow']));
  });

  it('each column of the table has one description: unique ids, a label, a width at least its minimum', () => {
    expect(new Set(RUN_COLUMNS.map((column) => column.id)).size).toBe(RUN_COLUMNS.length);
    for (const column of RUN_COLUMNS) {
      expect(column.label).not.toBe('');
      expect(column.size).toBeGreaterThanOrEqual(column.minSize);
      expect(column.hideable).toBe(column.priority > 0);
    }
  });
});
