import { describe, expect, it } from 'vitest';
import type { Run } from '../../../shared/openai-types';
import { activeRunsByAge, cancellableSelection } from './triage-order';

const run = (id: string, status: Run['status'], createdAt: number): Run =>
  ({ id, status, created_at: createdAt }) as Run;

describe('stuck-run triage order', () => {
  const runs = [
    run('run_new', 'queued', 300),
    run('run_done', 'completed', 50),
    run('run_old', 'in_progress', 100),
    run('run_wait', 'requires_action', 200),
    run('run_stop', 'cancelling', 150),
  ];

  it('lists only active runs, oldest first', () => {
    expect(activeRunsByAge(runs).map((each) => each.id)).toEqual([
      'run_old',
      'run_stop',
      'run_wait',
      'run_new',
    ]);
  });

  it('bulk cancel leaves out runs that are already cancelling or not selected', () => {
    const picked = cancellableSelection(runs, new Set(['run_old', 'run_stop', 'run_done']));
    expect(picked.map((each) => each.id)).toEqual(['run_old']);
  });
});
