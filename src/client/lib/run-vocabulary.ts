import type { Run, RunStatus } from '../../shared/openai-types';
import { ACTIVE_RUN_STATUSES, TERMINAL_RUN_STATUSES } from '../../shared/openai-types';

/**
 * The one vocabulary for run states (written down in src/client/README.md, "Run states"). Every place that names a
 * status (badge, filter chips, header, sidebar, panel, dialogs, insights) takes its words from here; what each state
 * means, shown in the run panel, is in run-state-meanings.ts.
 */
export const RUN_STATE_WORDS: Record<RunStatus, { label: string; phrase: string }> = {
  queued: { label: 'Queued', phrase: 'is queued' },
  in_progress: { label: 'In progress', phrase: 'is in progress' },
  requires_action: { label: 'Needs input', phrase: 'needs input' },
  cancelling: { label: 'Cancelling', phrase: 'is cancelling' },
  cancelled: { label: 'Cancelled', phrase: 'was cancelled' },
  failed: { label: 'Failed', phrase: 'failed' },
  completed: { label: 'Completed', phrase: 'completed' },
  incomplete: { label: 'Incomplete', phrase: 'ended incomplete' },
  expired: { label: 'Expired', phrase: 'expired' },
};

export function statusLabel(status: RunStatus): string {
  return RUN_STATE_WORDS[status].label;
}

/** For sentences: "run_1 needs input", "run_1 was cancelled". */
export function statusPhrase(status: RunStatus): string {
  return RUN_STATE_WORDS[status].phrase;
}

/** "2 need input" / "1 needs input": the count of runs waiting for tool outputs. */
export function needInputCount(count: number): string {
  return `${formatCount(count)} need${count === 1 ? 's' : ''} input`;
}

/*
 * The four counts the dashboard shows everywhere (header, home, chips, triage, insights), defined once here and in
 * src/client/README.md ("Run states").
 */

/** **Active**: not ended yet (queued, in progress, needs input, cancelling); an active run locks its thread. */
export const ACTIVE_STATUSES: readonly RunStatus[] = ACTIVE_RUN_STATUSES;

/** **Needs input**: waiting for tool outputs from a person or a program (`requires_action`). */
export const NEEDS_INPUT_STATUSES: readonly RunStatus[] = ['requires_action'];

/** **Failed**: ended with an error (`failed`). Expired, cancelled and incomplete runs are not failures. */
export const FAILED_STATUSES: readonly RunStatus[] = ['failed'];

/** A run the assistant should be moving that has not ended after this long is **stuck**. */
export const STUCK_AFTER_MINUTES = 5;

/** The states a run can be stuck in: active, except waiting for input (a run waiting on a person is not stuck). */
export const STUCK_STATUSES: readonly RunStatus[] = ['queued', 'in_progress', 'cancelling'];

/** Seconds since the run was created, on the backend's clock (`nowMs`). */
export function runAgeSeconds(run: Run, nowMs: number): number {
  return Math.max(0, Math.floor(nowMs / 1000) - run.created_at);
}

/** **Stuck**: queued, in progress or cancelling for more than STUCK_AFTER_MINUTES since it was created. */
export function isStuck(run: Run, nowMs: number): boolean {
  return STUCK_STATUSES.includes(run.status) && runAgeSeconds(run, nowMs) > STUCK_AFTER_MINUTES * 60;
}

/** **Failure rate**: failed runs among the runs that ended (null when none ended). */
export function failureRate(byStatus: Readonly<Record<RunStatus, number>>): number | null {
  const ended = TERMINAL_RUN_STATUSES.reduce((sum, status) => sum + byStatus[status], 0);
  if (ended === 0) return null;
  return FAILED_STATUSES.reduce((sum, status) => sum + byStatus[status], 0) / ended;
}

/** Every count the dashboard shows, in one format: 10,000. */
export function formatCount(count: number): string {
  return count.toLocaleString('en');
}
