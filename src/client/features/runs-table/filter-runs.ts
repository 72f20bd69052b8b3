import type { Run, RunStatus } from '../../../shared/openai-types';
import { RUN_STATUSES } from '../../../shared/openai-types';

/** Every status with how many loaded runs have it. */
export function countByStatus(runs: readonly Run[]): Record<RunStatus, number> {
  const counts = Object.fromEntries(RUN_STATUSES.map((status) => [status, 0])) as Record<RunStatus, number>;
  for (const run of runs) counts[run.status] += 1;
  return counts;
}

/** "key: value" pairs of a run's metadata, in one searchable line. */
export function metadataText(run: Run): string {
  return Object.entries(run.metadata ?? {})
    .map(([key, value]) => `${key}: ${value}`)
    .join(' ');
}

/**
 * Keeps the runs with one of `statuses` (all when empty) whose id, assistant (id or name), model or metadata contains
 * every word of `search`, ignoring case.
 */
export function filterRuns(
  runs: readonly Run[],
  statuses: readonly RunStatus[],
  search: string,
  assistantName: (assistantId: string) => string | null,
): Run[] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  if (statuses.length === 0 && words.length === 0) return runs as Run[];
  return runs.filter((run) => {
    if (statuses.length > 0 && !statuses.includes(run.status)) return false;
    if (words.length === 0) return true;
    const haystack = [
      run.id,
      run.assistant_id,
      assistantName(run.assistant_id) ?? '',
      run.model,
      metadataText(run),
    ]
      .join(' ')
      .toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}
