import { describe, expect, it } from 'vitest';
import type { Run } from '../../shared/openai-types';
import { makeRun } from '../../shared/test-support/run-fixture';
import { sortRuns } from './sort-runs';

const tokens = (total: number) => ({ prompt_tokens: total - 1, completion_tokens: 1, total_tokens: total });
const runs: Run[] = [
  makeRun({ id: 'run_10', status: 'completed', created_at: 100, usage: null }),
  makeRun({ id: 'run_9', status: 'queued', created_at: 300, usage: tokens(500) }),
  makeRun({ id: 'run_2', status: 'failed', created_at: 200, usage: tokens(100) }),
  makeRun({ id: 'run_1', status: 'queued', created_at: 50, usage: tokens(50) }),
];
const ids = (list: Run[]) => list.map((run) => run.id);

describe('sortRuns', () => {
  it('leaves the loaded order without a sort (or for a column it does not know)', () => {
    expect(sortRuns(runs, null)).toBe(runs);
    expect(sortRuns(runs, { id: 'bogus', desc: false })).toBe(runs);
  });

  it('sorts by the lifecycle order of statuses, ties in loaded order, both ways', () => {
    // queued, …, failed, completed: the order runs move through, not the alphabet.
    expect(ids(sortRuns(runs, { id: 'status', desc: false }))).toEqual(['run_9', 'run_1', 'run_2', 'run_10']);
    expect(ids(sortRuns(runs, { id: 'status', desc: true }))).toEqual(['run_10', 'run_2', 'run_9', 'run_1']);
  });

  it('sorts numbers as numbers and ids in natural order', () => {
    expect(ids(sortRuns(runs, { id: 'created', desc: true }))).toEqual(['run_9', 'run_2', 'run_10', 'run_1']);
    expect(ids(sortRuns(runs, { id: 'id', desc: false }))).toEqual(['run_1', 'run_2', 'run_9', 'run_10']);
  });

  it('puts runs without usage first when sorting tokens up', () => {
    expect(ids(sortRuns(runs, { id: 'tokens', desc: false }))).toEqual(['run_10', 'run_1', 'run_2', 'run_9']);
  });

  it('does not change the list it was given', () => {
    const before = ids(runs);
    sortRuns(runs, { id: 'created', desc: false });
    expect(ids(runs)).toEqual(before);
  });
});
