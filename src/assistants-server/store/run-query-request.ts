import type { RunFilter, RunSortField, RunUsageSummary, TokenUsageSums } from '../../shared/runs-query-types';
import type { RunCursor } from './run-cursor';

export type { RunFilter };

/**
 * A validated query of `/api/runs` (see `runsQuery` in server/query-api/runs-query-params.ts): what to match (the
 * shared `RunFilter`), in which order, from where; and a page's answer. Both query engines take and give these: SQLite's
 * (server/run-index/runs-query.ts) and PostgreSQL's (store/postgres/run-queries).
 */
export interface RunPageRequest {
  filter: RunFilter;
  sort: { field: RunSortField; desc: boolean };
  limit: number;
  after: RunCursor | null;
  /** Emulator or wall-clock time (ms): an active run's duration counts up to it. */
  nowMs: number;
}

export interface RunPageResult {
  /** The runs' wire JSON, in order. */
  bodies: string[];
  nextCursor: string | null;
  total: number;
}

/** A query's token usage as the API answers it, before coverage and the feed's position are added. */
export type RunUsage = Omit<RunUsageSummary, 'coverage' | 'feed_seq'>;

/** One model's sums as both engines read them: its runs and their tokens. */
export type ModelUsageRow = TokenUsageSums & { model: string; runs: number };

/** Token sums per model ranked by total tokens (then name), and over every model. */
export function sumUsage(rows: readonly ModelUsageRow[]): RunUsage {
  const sum = (pick: (row: ModelUsageRow) => number) => rows.reduce((total, row) => total + pick(row), 0);
  return {
    runs: sum((row) => row.runs),
    runs_with_usage: sum((row) => row.runs_with_usage),
    prompt_tokens: sum((row) => row.prompt_tokens),
    completion_tokens: sum((row) => row.completion_tokens),
    total_tokens: sum((row) => row.total_tokens),
    by_model: rows
      .map(({ runs: _runs, ...model }) => model)
      .sort((a, b) => b.total_tokens - a.total_tokens || a.model.localeCompare(b.model)),
  };
}

/**
 * Whether the kept totals (`query_run_totals`) answer for this filter: by thread, status and model only (an empty
 * search filters nothing). Both engines count from them then.
 */
export function keptTotalsAnswer(filter: RunFilter): boolean {
  return Object.entries(filter).every(
    ([key, value]) =>
      value === undefined ||
      key === 'threadId' ||
      key === 'statuses' ||
      key === 'model' ||
      (key === 'q' && !String(value).trim()),
  );
}
