import type { Run, RunStatus } from '../../../shared/openai-types';
import { RUN_STATUSES } from '../../../shared/openai-types';
import { metadataText } from '../../lib/run-text';

/** Every status with how many loaded runs have it. */
export function countByStatus(runs: readonly Run[]): Record<RunStatus, number> {
  const counts = Object.fromEntries(RUN_STATUSES.map((status) => [status, 0])) as Record<RunStatus, number>;
  for (const run of runs) counts[run.status] += 1;
  return counts;
}

/**
 * A run's lowercased search text (id, assistant id and name, model, metadata), built once per run object: a run that
 * changes arrives as a new object, so a cached text is never stale, and typing does not rebuild 10,000 of them.
 */
export function createSearchText(
  assistantName: (assistantId: string) => string | null,
): (run: Run) => string {
  const cache = new WeakMap<Run, string>();
  return (run) => {
    let text = cache.get(run);
    if (text === undefined) {
      text = [run.id, run.assistant_id, assistantName(run.assistant_id) ?? '', run.model, metadataText(run)]
        .join(' ')
        .toLowerCase();
      cache.set(run, text);
    }
    return text;
  };
}

/** Keeps the runs with one of `statuses` (all when empty) whose search text contains every word of `search`, ignoring case. */
export function filterRuns(
  runs: readonly Run[],
  statuses: readonly RunStatus[],
  search: string,
  searchText: (run: Run) => string,
): Run[] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  if (statuses.length === 0 && words.length === 0) return runs as Run[];
  const wanted = new Set(statuses);
  return runs.filter((run) => {
    if (wanted.size > 0 && !wanted.has(run.status)) return false;
    if (words.length === 0) return true;
    const haystack = searchText(run);
    return words.every((word) => haystack.includes(word));
  });
}
