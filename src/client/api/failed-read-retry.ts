import { documentHidden } from '../lib/polling-policy';

/**
 * A read that failed is tried again this often even while the feed is live: the feed updates runs in place, but what
 * the failed read was for (a reset, a new sort position, the thread list) waits for it, and its banner and the
 * connection indicator should clear by themselves.
 */
export const FAILED_READ_RETRY_MS = 5_000;

/** A query's `refetchInterval` while the feed is live: only a failed read polls, every FAILED_READ_RETRY_MS. */
export function retryFailed(error: Error | null): number | false {
  return error !== null && !documentHidden() ? FAILED_READ_RETRY_MS : false;
}
