import type { Logger } from '../../platform/logger';
import {
  siblingModule,
  WorkerCrashError,
  WorkerPool,
  WorkerPoolBusyError,
  WorkerPoolClosedError,
  WorkerTaskError,
} from '../../platform/worker-pool/worker-pool';
import type { ChunkHit } from './chunk-index';
import type { SearchTask } from './sqlite-search-worker';

/** Searches waiting for a worker; past it a search runs in the caller's thread. */
export const MAX_WAITING_SEARCHES = 64;

/**
 * No worker could do the search (all busy past the waiting bound, the worker died, the pool is closed, or the search
 * failed inside the worker: SQLITE_BUSY, CANTOPEN on its read-only connection…): search elsewhere.
 */
export class SearchWorkersUnavailable extends Error {
  override readonly name = 'SearchWorkersUnavailable';
}

/**
 * Search by words in worker threads, each with a read-only connection to the SQLite file at `path`: at a million
 * chunks a search costs about 100 ms of CPU (counting the words' chunks, ranking up to the match budget by bm25),
 * which in the server's thread would hold every request meanwhile. An in-memory database has no second connection:
 * it is searched in the server's thread.
 */
export interface SearchWorkersOptions {
  /** Searches waiting for a worker at most (`MAX_WAITING_SEARCHES`). */
  maxWaiting?: number;
  /** The workers' module (tests give a misbehaving one). */
  entry?: URL;
  /**
   * Where the first fall-back to the caller's thread is reported (once per pool): the server's logger, so the warning
   * has the level, format and destination the user configured.
   */
  logger: Logger;
}

/** What makes a search run in the caller's thread instead; anything else (a bad task) is the caller's error. */
const FALLS_BACK = [WorkerPoolBusyError, WorkerCrashError, WorkerPoolClosedError, WorkerTaskError];

export class SqliteSearchWorkers {
  private readonly pool: WorkerPool<SearchTask, ChunkHit[]>;
  private readonly logger: Logger;
  private fellBack = false;

  constructor(
    private readonly path: string,
    private readonly matchBudget: number,
    workers: number,
    options: SearchWorkersOptions,
  ) {
    this.pool = new WorkerPool({
      name: 'runboard-search',
      entry: options.entry ?? siblingModule('sqlite-search-worker', import.meta.url),
      size: workers,
      maxWaiting: options.maxWaiting ?? MAX_WAITING_SEARCHES,
    });
    this.logger = options.logger;
  }

  get stats(): { workers: number; running: number; waiting: number } {
    return this.pool.stats;
  }

  async search(
    vectorStoreIds: readonly string[],
    query: string,
    options: { limit: number; scoreThreshold?: number },
  ): Promise<ChunkHit[]> {
    try {
      return await this.pool.run({
        path: this.path,
        matchBudget: this.matchBudget,
        vectorStoreIds,
        query,
        options,
      });
    } catch (error) {
      if (!FALLS_BACK.some((kind) => error instanceof kind)) throw error;
      const { name, message } = error as Error;
      if (!this.fellBack) {
        this.fellBack = true;
        this.logger.warn("A search by words ran in the server's thread: the search workers could not do it", {
          error: error instanceof WorkerTaskError ? error.errorName : name,
          // Not `message`: a JSON log line's own message is that field.
          reason: message,
        });
      }
      throw new SearchWorkersUnavailable(message);
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
