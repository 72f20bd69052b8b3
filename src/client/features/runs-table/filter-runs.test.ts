import { describe, expect, it } from 'vitest';
import type { Run } from '../../../shared/openai-types';
import { metadataText } from '../../lib/run-text';
import { countByStatus, createSearchText, filterRuns } from './filter-runs';

const runs = [
  { id: 'run_a', status: 'completed', assistant_id: 'asst_1', model: 'gpt-4o', metadata: { env: 'prod' } },
  { id: 'run_b', status: 'failed', assistant_id: 'asst_2', model: 'gpt-4o-mini', metadata: {} },
  { id: 'run_c', status: 'in_progress', assistant_id: 'asst_1', model: 'o3', metadata: { customer: 'acme' } },
] as unknown as Run[];
const names = createSearchText((id: string) => (id === 'asst_1' ? 'Support bot' : null));
const ids = (list: Run[]) => list.map((run) => run.id);

describe('filterRuns', () => {
  it('returns everything without filters', () => {
    expect(filterRuns(runs, [], '  ', names)).toBe(runs);
  });
  it('keeps the chosen statuses', () => {
    expect(ids(filterRuns(runs, ['failed', 'in_progress'], '', names))).toEqual(['run_b', 'run_c']);
  });
  it('searches id, assistant name, model and metadata, every word, any case', () => {
    expect(ids(filterRuns(runs, [], 'SUPPORT', names))).toEqual(['run_a', 'run_c']);
    expect(ids(filterRuns(runs, [], 'mini', names))).toEqual(['run_b']);
    expect(ids(filterRuns(runs, [], 'env: prod', names))).toEqual(['run_a']);
    expect(ids(filterRuns(runs, [], 'support acme', names))).toEqual(['run_c']);
    expect(ids(filterRuns(runs, ['completed'], 'acme', names))).toEqual([]);
  });
});

describe('createSearchText', () => {
  it("builds each run's text once, and again for a changed run (a new object)", () => {
    let lookups = 0;
    const searchText = createSearchText(() => {
      lookups += 1;
      return 'Support Bot';
    });
    expect(searchText(runs[0]!)).toBe('run_a asst_1 support bot gpt-4o env: prod');
    searchText(runs[0]!);
    expect(lookups).toBe(1);
    expect(searchText({ ...runs[0]!, model: 'o3' })).toBe('run_a asst_1 support bot o3 env: prod');
    expect(lookups).toBe(2);
  });
});

describe('countByStatus', () => {
  it('counts every status, zero included', () => {
    const counts = countByStatus(runs);
    expect(counts.completed).toBe(1);
    expect(counts.in_progress).toBe(1);
    expect(counts.expired).toBe(0);
  });
});

describe('metadataText', () => {
  it('reads as key: value pairs', () => {
    expect(metadataText(runs[2]!)).toBe('customer: acme');
  });
});
