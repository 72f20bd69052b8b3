import type { Message, Run, Thread } from '../../shared/openai-types';
import type { LifecycleEvent } from '../events/lifecycle-events';
import type { Db } from './database';

/**
 * What is kept beside the stored objects, in the emulator's own database (Runboard's query index): every write of a
 * run, a thread or a message of a run (its preview) updates it inside the write's transaction, so the two can never disagree, even after a kill -9.
 */
export interface StoreIndex {
  /** Inside the write's transaction, before it commits: a throw rolls the write back. */
  written(event: LifecycleEvent): void;
  /**
   * The runs of a bulk insert, each yielded once the store has inserted it: read them all, inside the transaction
   * (the insert publishes one `resync` afterwards instead of an event per run).
   */
  bulkInserted(runs: Iterable<Run>): void;
}

/** What a store index is given when the store opens: the database, and the stored objects to build from once. */
export interface StoreIndexContext {
  db: Db;
  /** Calls back once the outermost transaction in progress commits (dropped if it rolls back). */
  afterCommit(callback: () => void): void;
  stored: {
    threads(): Iterable<Thread>;
    /** Every run, oldest write first. */
    runs(): Iterable<Run>;
    runCount(): number;
    run(runId: string): Run | null;
    /** The user message a run answers (the last before it) and the first message it wrote (run previews). */
    runMessages(run: Run): { input: Message | null; reply: Message | null };
  };
}

export type StoreIndexFactory = (context: StoreIndexContext) => StoreIndex;

export const NO_STORE_INDEX: StoreIndex = {
  written: () => {},
  bulkInserted: (runs) => {
    for (const _run of runs) {
      // Nothing kept: the runs are only read, so the store inserts them.
    }
  },
};
