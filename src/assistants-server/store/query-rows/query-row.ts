import { isActiveStatus, type Run, type Thread } from '../../../shared/openai-types';
import { runEndedAt } from '../../../shared/run-timing';
import {
  comparableSortValue,
  RUN_SORTS,
  statusRank,
  type RunSortDescriptor,
  type SortValue,
} from '../../../shared/run-sort-keys';
import { RUN_SORT_FIELDS, type IndexedRun } from '../../../shared/runs-query-types';
import { runPreview, type RunMessages } from './run-preview';

/**
 * What the query tables hold of a run and a thread, computed once for both engines: SQLite's run index
 * (`server/run-index/run-index.ts`) and the PostgreSQL store's query tables (`postgres/query-tables/`) write the same
 * values, so the two query engines answer the same.
 */

/**
 * The sort keys the index computes, one `k_` column per sort field (a field sorting by one of the run's own columns,
 * `created_at`, has none): a number or a text key; a `live` number (a duration) is REAL and null while the run is
 * active.
 */
export const SORT_KEY_COLUMNS = RUN_SORT_FIELDS.map((field): RunSortDescriptor => RUN_SORTS[field]).filter(
  (sort) => sort.column.startsWith('k_'),
);

/** What the index stores in each sort column for `run`: its comparable sort key, or null (live, while active). */
export function sortColumnValues(run: Run): Record<string, SortValue | null> {
  const values: Record<string, SortValue | null> = {};
  for (const sort of SORT_KEY_COLUMNS) {
    values[sort.column] =
      sort.live && isActiveStatus(run.status) ? null : comparableSortValue(sort.key(run, 0));
  }
  return values;
}

/** The run's last change we can date: its newest timestamp. */
export function activityOf(run: Run): number {
  return Math.max(run.created_at, run.started_at ?? 0, runEndedAt(run) ?? 0);
}

/** What a thread search reads: its id and metadata, lowercased. */
export function threadSearchText(thread: Thread): string {
  const metadata = Object.entries(thread.metadata ?? {})
    .map(([key, value]) => `${key}: ${value}`)
    .join(' ');
  return `${thread.id} ${metadata}`.toLowerCase();
}

/** A row of `query_run_totals`, or what one run adds to it (`sign` -1: what it takes away). */
export interface RunTotals {
  thread_id: string;
  k_status: number;
  model: string;
  n: number;
  runs_with_usage: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** The columns of `query_run_totals`: its key, then the sums. */
export const RUN_TOTALS_COLUMNS = [
  'thread_id',
  'k_status',
  'model',
  'n',
  'runs_with_usage',
  'prompt_tokens',
  'completion_tokens',
  'total_tokens',
] as const;

export function totalsOf(run: Run, sign: 1 | -1): RunTotals {
  return {
    thread_id: run.thread_id,
    k_status: statusRank(run.status),
    model: run.model,
    n: sign,
    runs_with_usage: run.usage ? sign : 0,
    prompt_tokens: sign * (run.usage?.prompt_tokens ?? 0),
    completion_tokens: sign * (run.usage?.completion_tokens ?? 0),
    total_tokens: sign * (run.usage?.total_tokens ?? 0),
  };
}

/** A run's row in `query_runs` (every column but `ord` and PostgreSQL's `search_text`), `body` its JSON as stored. */
export function queryRunRow(run: IndexedRun, body: string) {
  return {
    id: run.id,
    thread_id: run.thread_id,
    assistant_id: run.assistant_id,
    model: run.model,
    status: run.status,
    created_at: run.created_at,
    activity_at: activityOf(run),
    ...sortColumnValues(run),
    usage_prompt: run.usage?.prompt_tokens ?? null,
    usage_completion: run.usage?.completion_tokens ?? null,
    usage_total: run.usage?.total_tokens ?? null,
    body,
  };
}

/**
 * SQL of a `query_runs` row's body in the emulator's SQLite database: a bulk-loaded run's is '' there, its body
 * being the store's `runs` row's (written once; see `server/run-index/run-index-schema.ts`).
 */
export const QUERY_RUN_BODY_SQL = `CASE query_runs.body WHEN '' THEN (SELECT runs.body FROM runs WHERE runs.id = query_runs.id)
  ELSE query_runs.body END`;

/** The columns of `queryRunRow`, in its order. */
export const QUERY_RUN_ROW_COLUMNS = [
  'id',
  'thread_id',
  'assistant_id',
  'model',
  'status',
  'created_at',
  'activity_at',
  ...SORT_KEY_COLUMNS.map((sort) => sort.column),
  'usage_prompt',
  'usage_completion',
  'usage_total',
  'body',
];

/** The run as the query API sends it: its wire JSON (without any preview it came with) and its preview. */
export function withPreview(run: Run, messages: RunMessages): IndexedRun {
  const { preview: _stale, ...wire } = run as IndexedRun;
  return { ...wire, preview: runPreview(wire, messages) };
}
