import type { RunStatus } from '../../shared/openai-types';

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
  return `${count} need${count === 1 ? 's' : ''} input`;
}
