import type { StoreTables } from '../store/assistants-store';

/**
 * How long a run waits for its vector stores' files to be processed before it searches: files attached to a message
 * just before the run (the thread's store) are usually still `in_progress`, and OpenAI's runs waited for them. Past
 * this, the run searches what is ready.
 */
export const MAX_READINESS_WAIT_MS = 60_000;
/** How often the model executor looks again while it waits. */
export const READINESS_POLL_MS = 100;

/** Files of the stores still being processed. */
export async function filesInProgress(
  tables: Pick<StoreTables, 'vectorStoreFiles'>,
  storeIds: readonly string[],
): Promise<number> {
  let waiting = 0;
  for (const id of storeIds) waiting += (await tables.vectorStoreFiles.counts(id)).in_progress;
  return waiting;
}

/**
 * Waits until no file of the stores is `in_progress`, looking every `pollMs`, at most `maxWaitMs` (then the search
 * goes on with what is ready). Rejects when `signal` aborts (the run was cancelled or expired).
 */
export async function untilProcessed(
  tables: Pick<StoreTables, 'vectorStoreFiles'>,
  storeIds: readonly string[],
  options: {
    signal: AbortSignal;
    sleep: (ms: number, signal: AbortSignal) => Promise<void>;
    maxWaitMs?: number;
    pollMs?: number;
  },
): Promise<void> {
  const deadline = Date.now() + (options.maxWaitMs ?? MAX_READINESS_WAIT_MS);
  while ((await filesInProgress(tables, storeIds)) > 0 && Date.now() < deadline)
    await options.sleep(options.pollMs ?? READINESS_POLL_MS, options.signal);
}
