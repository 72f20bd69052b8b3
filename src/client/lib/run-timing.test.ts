import { describe, expect, it } from 'vitest';
import type { Run } from '../../shared/openai-types';
import { runEndedAt, runTiming } from './run-timing';

function run(overrides: Partial<Run>): Run {
  return {
    id: 'run_a',
    object: 'thread.run',
    created_at: 1_000,
    thread_id: 'thread_a',
    assistant_id: 'asst_a',
    status: 'queued',
    required_action: null,
    last_error: null,
    expires_at: 1_600,
    started_at: null,
    cancelled_at: null,
    failed_at: null,
    completed_at: null,
    incomplete_details: null,
    model: 'gpt-4o',
    instructions: '',
    tools: [],
    metadata: {},
    usage: null,
    temperature: 1,
    top_p: 1,
    max_prompt_tokens: null,
    max_completion_tokens: null,
    truncation_strategy: { type: 'auto', last_messages: null },
    tool_choice: 'auto',
    parallel_tool_calls: true,
    response_format: 'auto',
    ...overrides,
  };
}

describe('runTiming', () => {
  it('counts queue time up to now while queued, with the expiry countdown', () => {
    expect(runTiming(run({}), 1_030_000)).toEqual({
      queueSeconds: 30,
      runSeconds: null,
      totalSeconds: 30,
      expiresInSeconds: 570,
      ticking: true,
    });
  });

  it('splits queue and run time while in progress', () => {
    const timing = runTiming(run({ status: 'in_progress', started_at: 1_004 }), 1_010_000);
    expect(timing.queueSeconds).toBe(4);
    expect(timing.runSeconds).toBe(6);
    expect(timing.ticking).toBe(true);
  });

  it('freezes at the end time once terminal', () => {
    const done = run({ status: 'completed', started_at: 1_004, completed_at: 1_019, expires_at: null });
    expect(runEndedAt(done)).toBe(1_019);
    expect(runTiming(done, 9_999_000)).toEqual({
      queueSeconds: 4,
      runSeconds: 15,
      totalSeconds: 19,
      expiresInSeconds: null,
      ticking: false,
    });
  });

  it('takes failed_at and cancelled_at as the end', () => {
    expect(runEndedAt(run({ status: 'failed', started_at: 1_001, failed_at: 1_003 }))).toBe(1_003);
    expect(runEndedAt(run({ status: 'cancelled', cancelled_at: 1_002 }))).toBe(1_002);
  });

  it('has no queue time for a run that ended before it started', () => {
    expect(runTiming(run({ status: 'cancelled', cancelled_at: 1_002 }), 2_000_000).queueSeconds).toBeNull();
  });

  it('never shows a negative countdown', () => {
    expect(runTiming(run({ status: 'requires_action', started_at: 1_001 }), 1_700_000).expiresInSeconds).toBe(
      0,
    );
  });
});
