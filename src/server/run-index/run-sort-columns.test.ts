import { describe, expect, it } from 'vitest';
import { isActiveStatus, type Run } from '../../shared/openai-types';
import { comparableSortValue, compareSortValues, RUN_SORTS } from '../../shared/run-sort-keys';
import { RUN_SORT_FIELDS, type RunSortField } from '../../shared/runs-query-types';
import { makeRun } from '../../shared/test-support/run-fixture';
import { decodeRunCursor, type RunCursor } from './run-cursor';
import { RunIndex } from './run-index';
import { openIndexDatabase } from './run-index-schema';
import { RunsQueryEngine } from './runs-query';

const NOW_MS = 2_000_000;
const usage = (total: number) => ({ prompt_tokens: total - 1, completion_tokens: 1, total_tokens: total });

// Values that tell keys apart: numbers inside text (natural order), case, missing values (-1, ''), ties (the
// tiebreaker is the order of indexing), active runs (a duration computed at query time) and ended ones.
const RUNS: Run[] = [
  makeRun({ id: 'run_10', assistant_id: 'asst_B', model: 'gpt-4o', status: 'queued', created_at: 1_500 }),
  makeRun({
    id: 'run_9',
    assistant_id: 'asst_a',
    model: 'gpt-4o-mini',
    status: 'failed',
    created_at: 1_200,
    started_at: 1_201,
    failed_at: 1_260,
    last_error: { code: 'server_error', message: 'Boom 2' },
    usage: usage(40),
  }),
  makeRun({
    id: 'run_A2',
    assistant_id: 'asst_a',
    model: 'GPT-4o',
    status: 'completed',
    created_at: 1_200,
    started_at: 1_210,
    completed_at: 1_215,
    metadata: { team: 'b', step: '10' },
    usage: usage(7),
  }),
  makeRun({
    id: 'run_a1',
    status: 'in_progress',
    created_at: 1_900,
    started_at: 1_901,
    metadata: { team: 'a' },
  }),
  makeRun({
    id: 'run_b',
    status: 'incomplete',
    created_at: 1_100,
    started_at: 1_100,
    completed_at: 1_400,
    incomplete_details: { reason: 'max_completion_tokens' },
    usage: usage(400),
  }),
  makeRun({ id: 'run_c', status: 'expired', created_at: 1_000, expires_at: 1_600 }),
  makeRun({
    id: 'run_d',
    status: 'cancelled',
    created_at: 1_300,
    cancelled_at: 1_300,
    metadata: { step: '9' },
  }),
  makeRun({ id: 'run_e', status: 'requires_action', created_at: 1_950, started_at: 1_951 }),
];

function indexOf(runs: Run[]) {
  const index = new RunIndex(openIndexDatabase(':memory:'));
  index.transaction(() => runs.forEach((run) => index.upsertRun(run)));
  const engine = new RunsQueryEngine(index.db, (threadId) => index.runCount(threadId));
  /** Every run's id in `field`'s order, read a page of 3 at a time (so cursors on each column are crossed too). */
  const sortedIds = (field: RunSortField, desc: boolean) => {
    const ids: string[] = [];
    let after: RunCursor | null = null;
    do {
      const page = engine.page({ filter: {}, sort: { field, desc }, limit: 3, after, nowMs: NOW_MS });
      ids.push(...page.bodies.map((body) => (JSON.parse(body) as Run).id));
      after = page.nextCursor === null ? null : decodeRunCursor(page.nextCursor);
    } while (after !== null);
    return ids;
  };
  return { index, sortedIds };
}

describe('one descriptor per sort field (RUN_SORTS), and the query index', () => {
  const { index, sortedIds } = indexOf(RUNS);

  it.each(RUN_SORT_FIELDS)("%s: the index stores the descriptor's key in its column", (field) => {
    const sort = RUN_SORTS[field];
    const stored = index.db.prepare(`SELECT ${sort.column} FROM query_runs WHERE id = ?`).pluck();
    for (const run of RUNS) {
      // A live key (a duration) is not stored while the run is active: it is computed when a page is asked for.
      const expected =
        'live' in sort && isActiveStatus(run.status) ? null : comparableSortValue(sort.key(run, NOW_MS));
      expect(stored.get(run.id), `${field} of ${run.id}`).toBe(expected);
    }
  });

  it.each(RUN_SORT_FIELDS)(
    "%s: the index sorts, both ways and across pages, by the descriptor's key",
    (field) => {
      const sort = RUN_SORTS[field];
      // Ties keep the order of indexing (ord), reversed with the direction.
      const ascending = RUNS.map((run, ord) => ({ run, ord }))
        .sort((a, b) => compareSortValues(sort.key(a.run, NOW_MS), sort.key(b.run, NOW_MS)) || a.ord - b.ord)
        .map(({ run }) => run.id);
      expect(sortedIds(field, false)).toEqual(ascending);
      expect(sortedIds(field, true)).toEqual(ascending.toReversed());
    },
  );

  it('declares each numeric key as numbers and each text key as text', () => {
    for (const field of RUN_SORT_FIELDS) {
      const sort = RUN_SORTS[field];
      for (const run of RUNS) expect(typeof sort.key(run, NOW_MS)).toBe(sort.numeric ? 'number' : 'string');
    }
  });

  // Across threads a page merges one range per status (runs-query.ts), so a field's index is within a status.
  it('gives every sort field its column and its index within a status', () => {
    const columns = index.db.prepare("SELECT name FROM pragma_table_info('query_runs')").pluck().all();
    const indexes = index.db.prepare('SELECT name FROM pragma_index_list(?)').pluck().all('query_runs');
    for (const field of RUN_SORT_FIELDS) {
      expect(columns).toContain(RUN_SORTS[field].column);
      expect(indexes).toContain(
        field === 'status' ? 'query_runs_by_status' : `query_runs_by_status_${field}`,
      );
    }
  });
});
