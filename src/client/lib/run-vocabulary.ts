import type { RunStatus } from '../../shared/openai-types';

/**
 * The one vocabulary for run states (written down in src/client/README.md, "Run states"). Every place that names a
 * status (badge, filter chips, header, sidebar, panel, dialogs, insights) takes its words from here.
 */
export const RUN_STATE_WORDS: Record<RunStatus, { label: string; phrase: string; meaning: string }> = {
  queued: { label: 'Queued', phrase: 'is queued', meaning: 'waiting for the assistant to pick it up' },
  in_progress: { label: 'In progress', phrase: 'is in progress', meaning: 'the assistant is working' },
  requires_action: {
    label: 'Needs input',
    phrase: 'needs input',
    meaning: 'waiting for tool outputs; it expires if none arrive',
  },
  cancelling: { label: 'Cancelling', phrase: 'is cancelling', meaning: 'a cancel was asked; ends cancelled' },
  cancelled: { label: 'Cancelled', phrase: 'was cancelled', meaning: 'ended by a cancel' },
  failed: { label: 'Failed', phrase: 'failed', meaning: 'ended with an error (last_error)' },
  completed: { label: 'Completed', phrase: 'completed', meaning: 'ended with a reply' },
  incomplete: {
    label: 'Incomplete',
    phrase: 'ended incomplete',
    meaning: 'ended early, for example at a token limit (incomplete_details)',
  },
  expired: {
    label: 'Expired',
    phrase: 'expired',
    meaning: 'ended because nothing answered before expires_at',
  },
};

/** "Active": queued, in progress, needs input or cancelling. An active run locks its thread. */
export const ACTIVE_WORD = 'Active';

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
