import type { RunStatus } from '../../shared/openai-types';

/** What each run state means, beside its label in the run panel (the words: run-vocabulary.ts). */
export const RUN_STATE_MEANINGS: Record<RunStatus, string> = {
  queued: 'waiting for the assistant to pick it up',
  in_progress: 'the assistant is working',
  requires_action: 'waiting for tool outputs; it expires if none arrive',
  cancelling: 'a cancel was asked; ends cancelled',
  cancelled: 'ended by a cancel',
  failed: 'ended with an error (last_error)',
  completed: 'ended with a reply',
  incomplete: 'ended early, for example at a token limit (incomplete_details)',
  expired: 'ended because nothing answered before expires_at',
};
