import type { Run, RunStatus, UnixSeconds } from '../../../shared/openai-types';
import { isActiveStatus, RUN_STATUSES } from '../../../shared/openai-types';
import { runEndedAt } from '../../../shared/run-timing';

/** One run on the thread's timeline, in seconds since the earliest run was created. */
export interface TimelineEntry {
  run: Run;
  /** Offset of `created_at` from the timeline's start. */
  createdOffset: number;
  /** `started_at - created_at`; while still queued, up to now; null when it ended without starting. */
  queueSeconds: number | null;
  /** `end - started_at` (end = completed/failed/cancelled/expired time, or now while active); null before start. */
  runSeconds: number | null;
  /** The figures still grow (the run is active). */
  ongoing: boolean;
}

export interface Timeline {
  start: UnixSeconds;
  /** Seconds from `start` to the end of the latest entry: the shared axis length (at least 1). */
  spanSeconds: number;
  /** Oldest first. */
  entries: TimelineEntry[];
}

export interface StatusShare {
  status: RunStatus;
  count: number;
  /** Fraction of all runs, 0–1. */
  share: number;
}

/** Queue and run durations of each run, oldest first, on one time axis; `nowSeconds` closes runs still active. */
export function buildTimeline(runs: readonly Run[], nowSeconds: number): Timeline {
  const ordered = [...runs].sort((a, b) => a.created_at - b.created_at || a.id.localeCompare(b.id));
  const start = ordered[0]?.created_at ?? nowSeconds;
  let end = start;
  const entries = ordered.map((run): TimelineEntry => {
    const endedAt = runEndedAt(run);
    const ongoing = isActiveStatus(run.status);
    const until = ongoing ? nowSeconds : endedAt;
    const queueSeconds =
      run.started_at !== null
        ? nonNegative(run.started_at - run.created_at)
        : ongoing
          ? nonNegative(nowSeconds - run.created_at)
          : null;
    const runSeconds = run.started_at !== null && until !== null ? nonNegative(until - run.started_at) : null;
    const entryEnd = run.created_at + (queueSeconds ?? 0) + (runSeconds ?? 0);
    end = Math.max(end, entryEnd);
    return { run, createdOffset: run.created_at - start, queueSeconds, runSeconds, ongoing };
  });
  return { start, spanSeconds: Math.max(1, end - start), entries };
}

/** How many runs are in each status present (the server's counts), with their share of the whole, in the chips' order. */
export function statusMix(byStatus: Readonly<Record<RunStatus, number>>): StatusShare[] {
  const total = RUN_STATUSES.reduce((sum, status) => sum + byStatus[status], 0);
  return RUN_STATUSES.flatMap((status) => {
    const count = byStatus[status];
    return count > 0 ? [{ status, count, share: count / total }] : [];
  });
}

function nonNegative(seconds: number): number {
  return Math.max(0, seconds);
}
