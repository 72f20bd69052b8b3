import { describe, expect, it } from 'vitest';
import { threadLabel } from './use-thread-label';

describe('threadLabel', () => {
  it('names a thread by its metadata values, a name-like key first', () => {
    expect(threadLabel({ metadata: { env: 'staging', customer: 'acme', topic: 'late delivery' } })).toBe(
      'acme · late delivery · staging',
    );
    expect(threadLabel({ metadata: { name: 'Support', customer: 'acme' } })).toBe('Support · acme');
  });

  it('is null without metadata (the id then names the thread)', () => {
    expect(threadLabel({ metadata: {} })).toBeNull();
    expect(threadLabel({ metadata: { blank: ' ' } })).toBeNull();
    expect(threadLabel(undefined)).toBeNull();
  });
});
