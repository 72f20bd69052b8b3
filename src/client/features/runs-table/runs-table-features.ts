import { columnVisibilityFeature, rowSortingFeature, tableFeatures } from '@tanstack/react-table';
import { createRunsSortedRowModel } from './runs-sorted-row-model';

/** Sorting happens in the browser over the loaded runs; filtering is done before the table (see filter-runs.ts). */
export const runsTableFeatures = tableFeatures({
  rowSortingFeature,
  columnVisibilityFeature,
  sortedRowModel: createRunsSortedRowModel(),
});
