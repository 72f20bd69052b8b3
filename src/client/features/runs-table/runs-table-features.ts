import { metaHelper, rowSortingFeature, tableFeatures } from '@tanstack/react-table';
import type { ReactTable, Row } from '@tanstack/react-table';
import type { Run } from '../../../shared/openai-types';
import type { RunColumnMeta } from '../../lib/run-columns';

/**
 * The server sorts and filters (the table only says which sort to ask for: `manualSorting`, no sorted row model).
 * Each column carries its `meta` (lib/run-columns.ts): label, width, priority, sort key, export.
 */
export const runsTableFeatures = tableFeatures({
  rowSortingFeature,
  columnMeta: metaHelper<RunColumnMeta>(),
});

export type RunsTableInstance = ReactTable<typeof runsTableFeatures, Run>;
export type RunRow = Row<typeof runsTableFeatures, Run>;
