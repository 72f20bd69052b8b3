import type { Run, RunStatus } from '../../shared/openai-types';
import { RUN_STATUSES } from '../../shared/openai-types';
import { backendNow } from './backend-clock';
import { metadataText, outcomeText } from './run-text';
import { runTiming } from './run-timing';

/** A sort of the runs table, by column id (as in the URL: `sort=created.desc`). */
export interface RunsSort {
  id: string;
  desc: boolean;
}

type SortKey = (run: Run, nowMs: number) => number | string;

const STATUS_ORDER = Object.fromEntries(RUN_STATUSES.map((status, index) => [status, index])) as Record<
  RunStatus,
  number
>;

/** What each sortable column of the runs table sorts by. Statuses sort in lifecycle order, not by name. */
export const RUN_SORT_KEYS: Record<string, SortKey> = {
  status: (run) => STATUS_ORDER[run.status],
  id: (run) => run.id,
  assistant: (run) => run.assistant_id,
  model: (run) => run.model,
  created: (run) => run.created_at,
  duration: (run, nowMs) => runTiming(run, nowMs).totalSeconds ?? -1,
  tokens: (run) => run.usage?.total_tokens ?? -1,
  outcome: (run) => outcomeText(run),
  metadata: (run) => metadataText(run),
};

// Natural order for text ("run_9" before "run_10"), as a person reads ids and names.
const collator = new Intl.Collator('en', { numeric: true });

/**
 * The runs in the table's order: by `sort` (ties keep their loaded order), else as loaded (newest first).
 * Each key is read once per run, then compared: 10,000 runs sort in a few milliseconds.
 */
export function sortRuns(runs: readonly Run[], sort: RunsSort | null, nowMs = backendNow()): Run[] {
  return sortByRun(runs, (run) => run, sort, nowMs);
}

/** `sortRuns` for anything that holds a run (the table's rows): the items themselves are reordered, not copied. */
export function sortByRun<T>(
  items: readonly T[],
  runOf: (item: T) => Run,
  sort: RunsSort | null,
  nowMs = backendNow(),
): T[] {
  const key = sort ? RUN_SORT_KEYS[sort.id] : undefined;
  if (!sort || !key) return items as T[];
  const keyed = items.map((item) => ({ item, key: key(runOf(item), nowMs) }));
  const direction = sort.desc ? -1 : 1;
  keyed.sort((a, b) => {
    const order =
      typeof a.key === 'number' && typeof b.key === 'number'
        ? a.key - b.key
        : collator.compare(String(a.key), String(b.key));
    return order * direction;
  });
  return keyed.map((entry) => entry.item);
}
