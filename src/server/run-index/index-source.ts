import type { QueryCoverage, WatchedThread } from '../../shared/runs-query-types';

/**
 * What keeps the index filled, in each mode: the emulator's lifecycle events, or the proxy's upstream poller.
 * The query routes ask it what an answer covers and pass it the threads the dashboard watches.
 */
export interface IndexSource {
  /** What an answer within one thread (or across all, when null) covers (PostgreSQL's source reads it: a promise). */
  coverage(threadId: string | null): QueryCoverage | Promise<QueryCoverage>;
  /** The time an active run's duration counts up to (ms): emulator time, or the wall clock in proxy mode. */
  nowMs(): number;
  /** The named assistants (id → name): a text search of runs also looks in their assistant's name. */
  assistantNames(): ReadonlyMap<string, string>;
  watch(threadIds: string[]): void;
  unwatch(threadId: string): boolean;
  watched(): WatchedThread[] | Promise<WatchedThread[]>;
  close(): void;
}
