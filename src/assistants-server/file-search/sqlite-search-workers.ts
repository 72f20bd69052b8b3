import {
  siblingModule,
  WorkerCrashError,
  WorkerPool,
  WorkerPoolBusyError,
} from '../../platform/worker-pool/worker-pool';
import type { ChunkHit } from './chunk-index';
import type { SearchTask } from './sqlite-search-worker';

/** Searches waiting for a worker; past it a search runs in the caller's thread. */
export const MAX_WAITING_SEARCHES = 64;

/** No worker can take the search now (all busy past the waiting bound, or the worker died): search elsewhere. */
export class SearchWorkersUnavailable extends Error {
  override readonly name = 'SearchWorkersUnavailable';
}

/**
 * Search by words in worker threads, each with a read-only connection to the SQLite file at `path`: at a million
 * chunks a search costs about 100 ms of CPU (counting the words' chunks, ranking up to the match budget by bm25),
 * which in the server's thread would hold every request meanwhile. An in-memory database has no second connection:
 * it is searched in the server's thread.
 */
export class SqliteSearchWorkers {
  private readonly pool: WorkerPool<SearchTask, ChunkHit[]>;

  constructor(
    private readonly path: string,
    private readonly matchBudget: number,
    workers: number,
  ) {
    this.pool = new WorkerPool({
      name: 'runboard-search',
      entry: siblingModule('sqlite-search-worker', import.meta.url),
      size: workers,
      maxWaiting: MAX_WAITING_SEARCHES,
    });
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
      if (error instanceof WorkerPoolBusyError || error instanceof WorkerCrashError) {
        throw new SearchWorkersUnavailable(error.message);
      }
      throw error;
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
