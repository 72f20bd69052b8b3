import type { PostgresRunQueries } from '../../assistants-server/store/postgres/run-queries/postgres-run-queries';
import type { RunIndex } from '../run-index/run-index';
import type { RunsQueryEngine } from '../run-index/runs-query';
import { runTimeseries } from '../run-index/run-timeseries';
import { threadSummaries } from '../run-index/thread-summaries';

/**
 * What the query routes read, on either engine: SQLite's index (its engine is synchronous: `sqliteRunQueries`) or
 * the PostgreSQL store's query tables (`PostgresRunQueries`). Both answer the same (`same-answers.test.ts`).
 */
export type RunQueries = Pick<PostgresRunQueries, 'page' | 'counts' | 'usage' | 'timeseries' | 'threads'>;

export function sqliteRunQueries(index: RunIndex, engine: RunsQueryEngine): RunQueries {
  return {
    page: async (request) => engine.page(request),
    counts: async (filter) => engine.counts(filter),
    usage: async (filter) => engine.usage(filter),
    timeseries: async (filter, range) => runTimeseries(index.db, filter, range, engine.textSearch),
    threads: async (request) => threadSummaries(index.db, request),
  };
}
