import { describe, expect, it } from 'vitest';
import type { Run } from '../../../shared/openai-types';
import {
  departedRuns,
  faviconWithCount,
  newlyWaiting,
  secondsLeft,
  titleWithCount,
  waitingRunsByTimeLeft,
} from './inbox-entries';

const run = (id: string, status: Run['status'], expiresAt: number | null, createdAt = 100): Run =>
  ({ id, status, expires_at: expiresAt, created_at: createdAt }) as Run;

describe('needs-input inbox entries', () => {
  it('keeps only runs waiting for tool outputs, soonest expiry first, no expiry last', () => {
    const ordered = waitingRunsByTimeLeft([
      run('run_late', 'requires_action', 900),
      run('run_busy', 'in_progress', 100),
      run('run_never', 'requires_action', null),
      run('run_soon', 'requires_action', 300),
    ]);
    expect(ordered.map((each) => each.id)).toEqual(['run_soon', 'run_late', 'run_never']);
  });

  it('counts seconds left down to zero and says null when there is no expiry', () => {
    expect(secondsLeft(run('a', 'requires_action', 1_000), 940_000)).toBe(60);
    expect(secondsLeft(run('a', 'requires_action', 1_000), 2_000_000)).toBe(0);
    expect(secondsLeft(run('a', 'requires_action', null), 0)).toBeNull();
  });

  it('puts the count in the title only when something waits', () => {
    expect(titleWithCount('Runboard', 3)).toBe('(3) Runboard');
    expect(titleWithCount('Runboard', 0)).toBe('Runboard');
  });

  it('draws the count in the favicon, capped at 99+', () => {
    expect(decodeURIComponent(faviconWithCount(4))).toContain('>4</text>');
    expect(decodeURIComponent(faviconWithCount(120))).toContain('>99+</text>');
  });

  it('finds the runs that started waiting since the last look', () => {
    const fresh = newlyWaiting(new Set(['run_a']), [
      run('run_a', 'requires_action', 1),
      run('run_b', 'requires_action', 2),
    ]);
    expect(fresh.map((each) => each.id)).toEqual(['run_b']);
  });

  it('tells which runs left the inbox since the last look', () => {
    const a = run('run_a', 'requires_action', 500);
    const b = run('run_b', 'requires_action', 600);
    const c = run('run_c', 'requires_action', 700);
    expect(departedRuns([a, b], [b, c]).map((each) => each.id)).toEqual(['run_a']);
    expect(departedRuns([a], [a])).toEqual([]);
  });
});
