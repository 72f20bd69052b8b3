import { describe, expect, it } from 'vitest';
import { isRunId, isThreadId, threadIdProblem } from './openai-ids';

describe('thread ids', () => {
  it('accepts the OpenAI shape', () => {
    expect(isThreadId('thread_abc123XYZ')).toBe(true);
    expect(threadIdProblem('  thread_abc  ')).toBeNull();
  });
  it('explains what is wrong', () => {
    expect(threadIdProblem('')).toBe('Enter a thread id.');
    expect(threadIdProblem('run_abc')).toBe("A thread id begins with 'thread_'.");
    expect(threadIdProblem('thread_a/b')).toMatch(/only letters, digits/);
    expect(isThreadId('thread_')).toBe(false);
  });
  it('recognises run ids', () => {
    expect(isRunId('run_1')).toBe(true);
    expect(isRunId('thread_1')).toBe(false);
  });
});
