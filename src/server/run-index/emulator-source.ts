import type { AssistantsServer } from '../../assistants-server/assistants-server';
import type { LifecycleEvent } from '../../assistants-server/events/lifecycle-events';
import type {
  StoreIndex,
  StoreIndexContext,
  StoreIndexFactory,
} from '../../assistants-server/store/store-index';
import type { PostgresRunQueries } from '../../assistants-server/store/postgres/run-queries/postgres-run-queries';
import type { Logger } from '../../platform/logger';
import type { Run } from '../../shared/openai-types';
import type { QueryCoverage, WatchedThread } from '../../shared/runs-query-types';
import type { IndexSource } from './index-source';
import { RunIndex } from './run-index';
import { grownPastPreview } from '../../assistants-server/store/query-rows/run-preview';

/** What `query_index_state.built_from` says once the index reflects the emulator's tables. */
const BUILT_FROM_EMULATOR = 'emulator-store-v1';
const BUILD_PROGRESS_EVERY = 100_000;

/**
 * Emulator mode: the query index lives in the emulator's own database, and the store writes it in the transaction
 * of every run and thread write (`StoreIndex`), so it always says what the store holds, even after a kill -9.
 * Nothing is rebuilt at start; a database written before the index existed is indexed once, when it opens, with
 * progress in the log. `attach` is given to `createAssistantsServer`; `index()` is the index it made.
 */
export function indexInEmulatorStore(logger: Logger): { attach: StoreIndexFactory; index(): RunIndex } {
  let made: RunIndex | null = null;
  return {
    attach(context) {
      const index = new RunIndex(context.db, { afterCommit: context.afterCommit, logger });
      index.runMessages = (run) => context.stored.runMessages(run);
      buildOnce(index, context.stored, logger);
      made = index;
      return storeIndexWriter(index, context.stored);
    },
    index() {
      if (!made) throw new Error('The emulator has not opened its store with this index');
      return made;
    },
  };
}

function storeIndexWriter(index: RunIndex, stored: StoreIndexContext['stored']): StoreIndex {
  return {
    written(event: LifecycleEvent) {
      switch (event.object) {
        case 'run':
          if (event.change === 'deleted') index.deleteRun(event.run.id);
          else index.upsertRun(event.run);
          return;
        case 'thread':
          if (event.change === 'deleted') index.deleteThread(event.thread.id);
          else index.upsertThread(event.thread);
          return;
        case 'message': {
          // A reply written (or grown) by a run changes that run's preview. A preview is bounded: text appended to a
          // reply that already fills it is not read again.
          if (event.textDelta !== undefined && grownPastPreview(event.message, event.textDelta)) return;
          const runId = event.message.run_id;
          const run = runId && event.change !== 'deleted' ? stored.run(runId) : null;
          if (run) index.upsertRun(run);
          return;
        }
        case 'resync':
          // A bulk insert indexed its runs one by one, quietly: feed clients refetch the threads it filled.
          index.reset(event.reason, event.threadIds);
          index.analyzeWhenResized();
          return;
        default:
          // Assistants, steps and kinds added later do not change the index.
          return;
      }
    },
    bulkInserted: (runs) => index.insertBulk(runs),
  };
}

/** Indexes a database the index does not reflect yet (written before it existed), in one transaction. */
function buildOnce(index: RunIndex, stored: StoreIndexContext['stored'], logger: Logger): void {
  if (index.builtFrom() === BUILT_FROM_EMULATOR) return;
  const started = performance.now();
  const total = stored.runCount();
  if (total > 0) logger.info('Query index: indexing the stored runs once, in the database', { runs: total });
  index.transaction(() => {
    index.clear();
    for (const thread of stored.threads()) index.upsertThread(thread, true);
    let done = 0;
    const counted = function* (): Generator<Run> {
      for (const run of stored.runs()) {
        yield run;
        if (++done % BUILD_PROGRESS_EVERY === 0)
          logger.info('Query index: indexing', { runs: done, of: total });
      }
    };
    index.insertBulk(counted());
    index.markBuiltFrom(BUILT_FROM_EMULATOR);
  });
  index.analyze();
  if (total > 0) {
    logger.info('Query index: ready', {
      runs: total,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    });
  }
}

/** What the query routes ask in emulator mode: every thread is indexed, so every answer is complete. */
export function emulatorIndexSource(index: RunIndex, emulator: Pick<AssistantsServer, 'data'>): IndexSource {
  return keptThreadsSource(
    {
      threadCount: async (threadId) =>
        threadId === null ? index.threadCount() : index.hasThread(threadId) ? 1 : 0,
      runCounts: async (threadIds) => new Map(threadIds.map((id) => [id, index.runCount(id)])),
    },
    emulator,
  );
}

/** The threads the query tables keep, as the emulator's source reads them (SQLite's index or PostgreSQL's tables). */
export type KeptThreads = Pick<PostgresRunQueries, 'threadCount' | 'runCounts'>;

/** The emulator's source over kept threads: on PostgreSQL, the store's query tables (`queries`). */
export function keptThreadsSource(kept: KeptThreads, emulator: Pick<AssistantsServer, 'data'>): IndexSource {
  const watchedThreads = new Set<string>();
  return {
    coverage: async (threadId): Promise<QueryCoverage> => ({
      complete: true,
      threads: await kept.threadCount(threadId),
      loading_threads: 0,
      refreshed_at: null,
    }),
    nowMs: () => emulator.data.nowMs(),
    assistantNames: () => emulator.data.assistantNames(),
    // Every thread is indexed anyway; the list is kept so the routes answer the same in both modes.
    watch: (threadIds) => threadIds.forEach((id) => watchedThreads.add(id)),
    unwatch: (threadId) => watchedThreads.delete(threadId),
    watched: async (): Promise<WatchedThread[]> => {
      const counts = await kept.runCounts([...watchedThreads]);
      return [...watchedThreads].map((threadId) => ({
        thread_id: threadId,
        state: 'ready',
        runs_indexed: counts.get(threadId) ?? 0,
        refreshed_at: null,
        error: null,
      }));
    },
    close: () => {},
  };
}
