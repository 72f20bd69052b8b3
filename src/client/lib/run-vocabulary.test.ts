import { describe, expect, it } from 'vitest';
import { RUN_STATUSES } from '../../shared/openai-types';
import { RUN_STATE_MEANINGS } from './run-state-meanings';
import type { Run, RunStatus } from '../../shared/openai-types';
import {
  failureRate,
  formatCount,
  isStuck,
  needInputCount,
  statusLabel,
  statusPhrase,
} from './run-vocabulary';

describe('run-state vocabulary', () => {
  it('has one distinct label per status', () => {
    const labels = RUN_STATUSES.map(statusLabel);
    expect(new Set(labels).size).toBe(RUN_STATUSES.length);
    expect(statusLabel('requires_action')).toBe('Needs input');
  });

  it('reads as a sentence and as a count', () => {
    expect(`run_1 ${statusPhrase('requires_action')}.`).toBe('run_1 needs input.');
    expect(`run_1 ${statusPhrase('cancelled')}.`).toBe('run_1 was cancelled.');
    expect(needInputCount(1)).toBe('1 needs input');
    expect(needInputCount(2)).toBe('2 need input');
    for (const status of RUN_STATUSES) expect(RUN_STATE_MEANINGS[status]).not.toBe('');
  });

  it('counts in one format', () => {
    expect(formatCount(10_000)).toBe('10,000');
    expect(needInputCount(6_000)).toBe('6,000 need input');
  });

  it('calls a run stuck after 5 minutes only while the assistant should be moving it', () => {
    const at = (status: RunStatus): Run => ({ id: 'run_1', status, created_at: 1_000 }) as Run;
    const sixMinutesLater = (1_000 + 6 * 60) * 1000;
    expect(isStuck(at('in_progress'), sixMinutesLater)).toBe(true);
    expect(isStuck(at('queued'), sixMinutesLater)).toBe(true);
    expect(isStuck(at('cancelling'), sixMinutesLater)).toBe(true);
    expect(isStuck(at('requires_action'), sixMinutesLater)).toBe(false);
    expect(isStuck(at('completed'), sixMinutesLater)).toBe(false);
    expect(isStuck(at('in_progress'), (1_000 + 4 * 60) * 1000)).toBe(false);
  });

  it('takes the failure rate among ended runs, expired and cancelled ones not failures', () => {
    const counts = Object.fromEntries(RUN_STATUSES.map((status) => [status, 0])) as Record<RunStatus, number>;
    expect(failureRate(counts)).toBeNull();
    expect(failureRate({ ...counts, failed: 1, completed: 2, expired: 1, in_progress: 5 })).toBe(0.25);
  });
});
