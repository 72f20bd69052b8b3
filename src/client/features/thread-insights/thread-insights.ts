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

export interface TokenTotals {
  prompt: number;
  completion: number;
  total: number;
  /** Runs that reported usage (active runs have none yet). */
  runsWithUsage: number;
}

export interface ModelTokens extends TokenTotals {
  model: string;
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

/** Prompt, completion and total tokens over every run that reported usage. */
export function sumTokens(runs: readonly Run[]): TokenTotals {
  const totals: TokenTotals = { prompt: 0, completion: 0, total: 0, runsWithUsage: 0 };
  for (const run of runs) addUsage(totals, run);
  return totals;
}

/** Token sums per model, the largest total first (then by name). Models without any usage yet are listed with 0. */
export function tokensByModel(runs: readonly Run[]): ModelTokens[] {
  const byModel = new Map<string, ModelTokens>();
  for (const run of runs) {
    let entry = byModel.get(run.model);
    if (!entry) {
      entry = { model: run.model, prompt: 0, completion: 0, total: 0, runsWithUsage: 0 };
      byModel.set(run.model, entry);
    }
    addUsage(entry, run);
  }
  return [...byModel.values()].sort((a, b) => b.total - a.total || a.model.localeCompare(b.model));
}

/** How many runs are in each status present, with their share of the whole, in a fixed status order. */
export function statusMix(runs: readonly Run[]): StatusShare[] {
  const counts = new Map<RunStatus, number>();
  for (const run of runs) counts.set(run.status, (counts.get(run.status) ?? 0) + 1);
  return RUN_STATUSES.flatMap((status) => {
    const count = counts.get(status) ?? 0;
    return count > 0 ? [{ status, count, share: count / runs.length }] : [];
  });
}

function addUsage(totals: TokenTotals, run: Run) {
  if (!run.usage) return;
  totals.prompt += run.usage.prompt_tokens;
  totals.completion += run.usage.completion_tokens;
  totals.total += run.usage.total_tokens;
  totals.runsWithUsage += 1;
}

function nonNegative(seconds: number): number {
  return Math.max(0, seconds);
}
