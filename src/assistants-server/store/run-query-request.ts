import type { RunStatus } from '../../shared/openai-types';
import type { RunSortField } from '../../shared/runs-query-types';
import type { RunCursor } from './run-cursor';

/**
 * A validated query of `/api/runs` (see `runsQuery` in server/query-api/runs-query-params.ts): what to match, in
 * which order, from where; and a page's answer. Both query engines take and give these: SQLite's
 * (server/run-index/runs-query.ts, which declares the same shapes) and PostgreSQL's (store/postgres/run-queries).
 */
export interface RunFilter {
  threadId?: string;
  statuses?: RunStatus[];
  assistantId?: string;
  model?: string;
  createdAfter?: number;
  createdBefore?: number;
  metadataKey?: string;
  metadataValue?: string;
  q?: string;
}

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
