import { describe, expect, it } from 'vitest';
import { makeRun } from './test-support/run-fixture';
import { compareSortValues, naturalSortKey, RUN_SORT_KEYS } from './run-sort-keys';

const sorted = (values: string[]) => [...values].sort(compareSortValues);

describe('shared sort keys', () => {
  it('orders text naturally: numbers by value, case ignored', () => {
    expect(sorted(['run_10', 'run_9', 'Run_2', 'run_1'])).toEqual(['run_1', 'Run_2', 'run_9', 'run_10']);
    expect(sorted(['a007', 'a7x', 'a08'])).toEqual(['a007', 'a7x', 'a08']);
    expect(sorted(['b', '', 'a'])).toEqual(['', 'a', 'b']);
  });

  it('gives keys that compare by code point as SQLite compares them', () => {
    expect(naturalSortKey('run_9') < naturalSortKey('run_10')).toBe(true);
    expect(naturalSortKey('X12')).toBe('x0212');
  });

  it('reads each column the way the table shows it', () => {
    const run = makeRun({
      status: 'failed',
      created_at: 100,
      failed_at: 130,
      last_error: { code: 'server_error', message: 'Boom' },
      usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
      metadata: { team: 'a', step: '2' },
    });
    expect(RUN_SORT_KEYS.status(run, 0)).toBe(5);
    expect(RUN_SORT_KEYS.duration(run, 0)).toBe(30);
    expect(RUN_SORT_KEYS.tokens(run, 0)).toBe(7);
    expect(RUN_SORT_KEYS.outcome(run, 0)).toBe('server_error: Boom');
    expect(RUN_SORT_KEYS.metadata(run, 0)).toBe('team: a step: 2');
    expect(RUN_SORT_KEYS.duration(makeRun({ status: 'queued', created_at: 100 }), 160_500)).toBe(60.5);
    expect(RUN_SORT_KEYS.tokens(makeRun({ usage: null }), 0)).toBe(-1);
  });
});
