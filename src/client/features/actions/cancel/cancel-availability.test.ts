import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../../../../shared/openai-types';
import { cancelUnavailableReason } from './cancel-availability';

const reason = (status: RunStatus) => cancelUnavailableReason({ status });

describe('cancelUnavailableReason', () => {
  it('allows queued, in-progress and needs-input runs', () => {
    expect(reason('queued')).toBeNull();
    expect(reason('in_progress')).toBeNull();
    expect(reason('requires_action')).toBeNull();
  });

  it('says why the others cannot be cancelled', () => {
    expect(reason('cancelling')).toMatch(/already under way/);
    expect(reason('cancelled')).toBe('This run is already cancelled.');
    expect(reason('completed')).toBe(
      'This run has ended (Completed); only active runs (queued, in progress, needs input) can be cancelled.',
    );
    expect(reason('expired')).toMatch(/has ended \(Expired\)/);
  });
});
