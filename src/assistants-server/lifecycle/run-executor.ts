import type { Run, RunToolCall, Usage } from '../../shared/openai-types';
import type { RunExecutorKind } from '../../shared/runboard-types';
import type { StoreTransaction } from '../store/assistants-store';
import type { RunRecord, Schedule } from '../store/run-record';
import type { Outcome } from './run-outcomes';

export type { Outcome } from './run-outcomes';

/**
 * Who carries out a run once it is in_progress. The lifecycle owns the states and their rules (queue, lock, cancel,
 * expiry, tool outputs) and asks the run's executor only for its work: the scripted executor answers on a timer,
 * the model executor calls a chat-completions endpoint and settles the run through the lifecycle when it answers.
 */
export interface RunExecutor {
  readonly kind: RunExecutorKind;
  /** At creation: refuses what this executor cannot do (a 400), and returns the calls planned up front. */
  plan(run: Run): RunToolCall[];
  /** How long a new or resubmitted run waits in `queued` (emulator ms). */
  queuedDelayMs(record: RunRecord): number;
  /**
   * Inside the transaction that moves the run to in_progress (`tx`): starts its work and names the next transition.
   * Work outside the database starts once `tx` commits (`tx.afterCommit`).
   */
  begin(record: RunRecord, at: number, tx: StoreTransaction): Promise<Schedule>;
  /** A scheduled `finish` fell due: what the work produced, read in `tx`. Mutates the record's run. */
  finish(record: RunRecord, seconds: number, tx: StoreTransaction): Promise<Outcome>;
  /** The run was cancelled or expired: its work stops at once. */
  stop(runId: string): void;
  /** The tokens a run used before it ended early (cancelled, expired). */
  usageSoFar(record: RunRecord): Usage;
}
