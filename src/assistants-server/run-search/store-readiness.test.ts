import { describe, expect, it } from 'vitest';
import type { FileCountsAndUsage } from '../store/assistants-store';
import { untilProcessed } from './store-readiness';

/** Stores whose `in_progress` counts come from a script, one answer per look. */
function tables(inProgress: () => number) {
  const counts = async (): Promise<FileCountsAndUsage> => ({
    in_progress: inProgress(),
    completed: 0,
    failed: 0,
    cancelled: 0,
    total: 0,
    usage_bytes: 0,
  });
  return { vectorStoreFiles: { counts } } as unknown as Parameters<typeof untilProcessed>[0];
}

describe('waiting for a run’s stores', () => {
  it('looks again until no file is in progress', async () => {
    const left = [2, 1, 0];
    const slept: number[] = [];
    await untilProcessed(
      tables(() => left.shift() ?? 0),
      ['vs_1'],
      {
        signal: new AbortController().signal,
        sleep: async (ms) => void slept.push(ms),
        pollMs: 5,
      },
    );
    expect(slept).toEqual([5, 5]);
  });

  it('gives up at the bound, and stops at once when the run ends', async () => {
    // Files that never finish: it returns once the bound has passed (the run then searches what is ready).
    let looks = 0;
    await untilProcessed(
      tables(() => (looks++, 1)),
      ['vs_1'],
      {
        signal: new AbortController().signal,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        maxWaitMs: 30,
        pollMs: 5,
      },
    );
    expect(looks).toBeGreaterThan(1);

    const controller = new AbortController();
    controller.abort(new Error('The run ended.'));
    await expect(
      untilProcessed(
        tables(() => 1),
        ['vs_1'],
        {
          signal: controller.signal,
          sleep: async (_ms, signal) => {
            if (signal.aborted) throw signal.reason as Error;
          },
        },
      ),
    ).rejects.toThrow('The run ended.');
  });
});
