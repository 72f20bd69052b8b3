import { describe, expect, it } from 'vitest';
import { runEndedAt, runTiming } from './run-timing';
import { makeRun } from './test-support/run-fixture';

describe('runTiming', () => {
  it('counts queue time up to now while queued, with the expiry countdown', () => {
    expect(runTiming(makeRun({}), 1_030_000)).toEqual({
      queueSeconds: 30,
      runSeconds: null,
      totalSeconds: 30,
      expiresInSeconds: 570,
      ticking: true,
    });
  });

  it('splits queue and run time while in progress', () => {
    const timing = runTiming(makeRun({ status: 'in_progress', started_at: 1_004 }), 1_010_000);
    expect(timing.queueSeconds).toBe(4);
    expect(timing.runSeconds).toBe(6);
    expect(timing.ticking).toBe(true);
  });

  it('freezes at the end time once terminal', () => {
    const done = makeRun({ status: 'completed', started_at: 1_004, completed_at: 1_019, expires_at: null });
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
    expect(runEndedAt(makeRun({ status: 'failed', started_at: 1_001, failed_at: 1_003 }))).toBe(1_003);
    expect(runEndedAt(makeRun({ status: 'cancelled', cancelled_at: 1_002 }))).toBe(1_002);
  });

  it('has no queue time for a run that ended before it started', () => {
    expect(
      runTiming(makeRun({ status: 'cancelled', cancelled_at: 1_002 }), 2_000_000).queueSeconds,
    ).toBeNull();
  });

  it('never shows a negative countdown', () => {
    expect(
      runTiming(makeRun({ status: 'requires_action', started_at: 1_001 }), 1_700_000).expiresInSeconds,
    ).toBe(0);
  });
});
