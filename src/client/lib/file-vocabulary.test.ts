import { describe, expect, it } from 'vitest';
import { fileCountsText } from './file-vocabulary';

const none = { in_progress: 0, completed: 0, failed: 0, cancelled: 0, total: 0 };

describe('fileCountsText', () => {
  it('says a store with no file so', () => {
    expect(fileCountsText(none)).toBe('No file');
  });

  it('names the states in the run vocabulary, what is still moving first, leaving out the empty ones', () => {
    expect(fileCountsText({ ...none, completed: 1, total: 1 })).toBe('1 file: 1 completed');
    expect(fileCountsText({ in_progress: 1, completed: 2, failed: 1, cancelled: 0, total: 4 })).toBe(
      '4 files: 1 in progress, 2 completed, 1 failed',
    );
    expect(fileCountsText({ ...none, completed: 12_000, total: 12_000 })).toBe(
      '12,000 files: 12,000 completed',
    );
  });
});
