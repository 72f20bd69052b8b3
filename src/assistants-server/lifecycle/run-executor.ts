import type { Run, RunToolCall, Usage } from '../../shared/openai-types';
import type { RunExecutorKind } from '../../shared/runboard-types';
import type { StoreTables, StoreTransaction } from '../store/assistants-store';
import type { RunRecord, Schedule } from '../store/run-record';
import type { Outcome } from './run-outcomes';

export type { Outcome } from './run-outcomes';

/** A due `finish` inside its transaction, with what its executor prepared before it (`prepareFinish`). */
export type FinishInTransaction = (
  record: RunRecord,
  seconds: number,
  tx: StoreTransaction,
) => Promise<Outcome>;

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
  /**
   * A scheduled `finish` fell due. Called before its transaction, with no lock held and nothing written (`tables`
   * read what is committed): work too slow to hold a transaction open for (the scripted run's file search) is done
   * here. Returns what runs in the transaction, on the run read again and locked: it checks that what was prepared
   * still holds and returns what the work produced. Mutates the record's run.
   */
  prepareFinish(record: RunRecord, seconds: number, tables: StoreTables): Promise<FinishInTransaction>;
  /** The run was cancelled or expired: its work stops at once. */
  stop(runId: string): void;
  /** The tokens a run used before it ended early (cancelled, expired). */
  usageSoFar(record: RunRecord): Usage;
}
