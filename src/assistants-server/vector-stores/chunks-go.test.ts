import { describe, expect, it } from 'vitest';
import { chunksGo } from './vector-store-files';

/**
 * What becomes of a file's chunks once its processing ends. The row may have changed meanwhile, on this instance or on
 * another sharing the database, whose processing of the file attached again may already have put its chunks.
 */
describe('chunksGo', () => {
  it('keeps the chunks of a file completed, drops those of a file that failed', () => {
    expect(chunksGo(true, 'completed', undefined)).toBe(false);
    expect(chunksGo(true, 'failed', undefined)).toBe(true);
  });

  it('drops them when the file was removed, cancelled or failed meanwhile', () => {
    for (const now of [undefined, 'cancelled', 'failed'] as const) {
      expect(chunksGo(false, 'completed', now), String(now)).toBe(true);
    }
  });

  it('keeps them when another instance completed the same row, or the file was attached again and waits', () => {
    for (const outcome of ['completed', 'failed'] as const) {
      expect(chunksGo(false, outcome, 'completed')).toBe(false);
      // Another instance may be processing the new row and have put its chunks already: dropping them would leave
      // a file completed with nothing to find.
      expect(chunksGo(false, outcome, 'in_progress')).toBe(false);
    }
  });
});
