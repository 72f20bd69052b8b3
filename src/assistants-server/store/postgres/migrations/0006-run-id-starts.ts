import type { Migration } from './migration';

/**
 * A text search's word starting `run_` matches the runs whose id starts with it (`lower(id) LIKE 'run_…%'`, see
 * `run-queries/run-filter-sql.ts`): a B-tree on `lower(id)` answers that as an index range. `id` is `COLLATE "C"`,
 * so `lower(id)` is too and a plain B-tree serves a `LIKE` prefix; `text_pattern_ops` says so whatever the
 * collation. `ANALYZE` gathers the statistics of `lower(id)` that only exist once the index does: without them the
 * planner expects 10 times the matches and walks the whole created index instead (355 ms at 1,000,000 runs).
 */
const sql = `
CREATE INDEX query_runs_by_lower_id ON query_runs (lower(id) text_pattern_ops);
ANALYZE query_runs;
`;

export const runIdStarts: Migration = { version: 6, name: 'run id starts', sql };
