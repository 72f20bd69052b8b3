import { describe, expect, it } from 'vitest';
import { RUN_STATUSES } from '../../shared/openai-types';
import { RUN_STATE_MEANINGS } from './run-state-meanings';
import { needInputCount, statusLabel, statusPhrase } from './run-vocabulary';

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
});
