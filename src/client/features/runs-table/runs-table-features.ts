import {
  columnSizingFeature,
  columnVisibilityFeature,
  metaHelper,
  rowSortingFeature,
  tableFeatures,
} from '@tanstack/react-table';
import type { RunColumnMeta } from '../../lib/run-columns';
import { createRunsSortedRowModel } from './runs-sorted-row-model';

/**
 * Sorting happens in the browser over the loaded runs; filtering is done before the table (see filter-runs.ts).
 * Each column carries its `meta` (lib/run-columns.ts): label, width, priority, sort key, export.
 */
export const runsTableFeatures = tableFeatures({
  rowSortingFeature,
  columnVisibilityFeature,
  columnSizingFeature,
  columnMeta: metaHelper<RunColumnMeta>(),
  sortedRowModel: createRunsSortedRowModel(),
});
