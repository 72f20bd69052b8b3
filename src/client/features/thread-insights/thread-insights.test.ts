import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../../../shared/openai-types';
import { RUN_STATUSES } from '../../../shared/openai-types';
import { buildTimeline, statusMix } from './thread-insights';
import { makeRun } from '../../../shared/test-support/run-fixture';

const usage = (prompt: number, completion: number) => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
});

const completed = makeRun({
  id: 'run_done',
  status: 'completed',
  created_at: 1_000,
  started_at: 1_002,
  completed_at: 1_007,
  expires_at: null,
  usage: usage(100, 20),
});
const failed = makeRun({
  id: 'run_failed',
  status: 'failed',
  model: 'gpt-4o-mini',
  created_at: 1_010,
  started_at: 1_011,
  failed_at: 1_014,
  expires_at: null,
  usage: usage(40, 0),
});
const running = makeRun({ id: 'run_live', status: 'in_progress', created_at: 1_020, started_at: 1_023 });
const cancelledBeforeStart = makeRun({
  id: 'run_cancelled',
  status: 'cancelled',
  created_at: 1_015,
  cancelled_at: 1_016,
  expires_at: null,
});

describe('buildTimeline', () => {
  it('splits each run into queue (started - created) and run (end - started) time, oldest first', () => {
    const timeline = buildTimeline([failed, completed], 2_000);
    expect(timeline.start).toBe(1_000);
    expect(
      timeline.entries.map((entry) => [
        entry.run.id,
        entry.createdOffset,
        entry.queueSeconds,
        entry.runSeconds,
      ]),
    ).toEqual([
      ['run_done', 0, 2, 5],
      ['run_failed', 10, 1, 3],
    ]);
    expect(timeline.spanSeconds).toBe(14);
  });

  it('runs an active run up to now and stretches the axis to it', () => {
    const timeline = buildTimeline([running, completed], 1_030);
    const live = timeline.entries[1]!;
    expect(live).toMatchObject({ queueSeconds: 3, runSeconds: 7, ongoing: true });
    expect(timeline.spanSeconds).toBe(30);
  });

  it('counts a queued run as queue time only, and a run cancelled before starting as neither', () => {
    const queued = makeRun({ id: 'run_waiting', created_at: 1_000 });
    const timeline = buildTimeline([queued, cancelledBeforeStart], 1_004);
    expect(timeline.entries.map((entry) => [entry.run.id, entry.queueSeconds, entry.runSeconds])).toEqual([
      ['run_waiting', 4, null],
      ['run_cancelled', null, null],
    ]);
  });

  it('uses expires_at as the end of an expired run', () => {
    const expired = makeRun({ status: 'expired', started_at: 1_001, expires_at: 1_600 });
    expect(buildTimeline([expired], 5_000).entries[0]).toMatchObject({ queueSeconds: 1, runSeconds: 599 });
  });

  it('gives an empty thread a one-second axis and no rows', () => {
    expect(buildTimeline([], 1_000)).toEqual({ start: 1_000, spanSeconds: 1, entries: [] });
  });
});

describe('statusMix', () => {
  const none = Object.fromEntries(RUN_STATUSES.map((status) => [status, 0])) as Record<RunStatus, number>;

  it("gives each status present its share, in the filter chips' order, leaving out absent statuses", () => {
    expect(statusMix({ ...none, completed: 2, failed: 1, in_progress: 1 })).toEqual([
      { status: 'in_progress', count: 1, share: 0.25 },
      { status: 'failed', count: 1, share: 0.25 },
      { status: 'completed', count: 2, share: 0.5 },
    ]);
  });

  it('is empty for a thread without runs', () => {
    expect(statusMix(none)).toEqual([]);
  });
});
