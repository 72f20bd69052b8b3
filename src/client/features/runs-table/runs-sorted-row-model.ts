import { tableMemo } from '@tanstack/react-table';
import type { RowModel, SortingState, Table, TableFeatures } from '@tanstack/react-table';
import type { Run } from '../../../shared/openai-types';
import { sortByRun } from '../../lib/sort-runs';

/**
 * The table's sorted row model, sorting by the same keys as everything else (lib/sort-runs.ts): each run's key is
 * read once, then compared, where TanStack's generic model calls a sort function with value lookups on every one of
 * ~130,000 pairs. The rows stay the core model's objects, reordered, so a sort builds no new rows.
 */
export function createRunsSortedRowModel<TFeatures extends TableFeatures>() {
  return (table: Table<TFeatures, Run>): (() => RowModel<TFeatures, Run>) => {
    // The slot is only filled with rowSortingFeature registered, which adds the sorting atom.
    const sorting = (table.atoms as { sorting?: { get(): SortingState } }).sorting;
    return tableMemo({
      feature: 'rowSortingFeature',
      table,
      fnName: 'table.getSortedRowModel',
      memoDeps: () => [sorting?.get(), table.getPreSortedRowModel()] as const,
      fn: () => {
        const rowModel = table.getPreSortedRowModel();
        const sort = sorting?.get()?.[0] ?? null;
        const rows = sortByRun(rowModel.rows, (row) => row.original, sort);
        return rows === rowModel.rows ? rowModel : { rows, flatRows: rows, rowsById: rowModel.rowsById };
      },
    });
  };
}
