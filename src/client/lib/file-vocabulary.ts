import type { VectorStoreFileCounts, VectorStoreFileStatus } from '../../shared/openai-types';
import { formatCount, statusLabel } from './run-vocabulary';

/**
 * The words for files and vector stores (src/client/README.md, "Files and vector stores"). Their states are named as
 * a run's are (`statusLabel`): In progress, Completed, Failed, Cancelled, Expired.
 */

/** The order a store's file counts are said in: what is still moving first, then how they ended. */
const COUNT_ORDER: readonly VectorStoreFileStatus[] = ['in_progress', 'completed', 'failed', 'cancelled'];

/** "No file", "1 file: 1 completed", "4 files: 1 in progress, 2 completed, 1 failed" (states with none left out). */
export function fileCountsText(counts: VectorStoreFileCounts): string {
  if (counts.total === 0) return 'No file';
  const parts = COUNT_ORDER.filter((status) => counts[status] > 0).map(
    (status) => `${formatCount(counts[status])} ${statusLabel(status).toLowerCase()}`,
  );
  const total = `${formatCount(counts.total)} ${counts.total === 1 ? 'file' : 'files'}`;
  return parts.length > 0 ? `${total}: ${parts.join(', ')}` : total;
}
