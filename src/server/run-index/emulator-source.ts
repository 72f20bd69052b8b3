import type { Emulator } from '../../emulator/emulator';
import type { LifecycleEvent, PublishedEvent } from '../../emulator/events/lifecycle-events';
import type { QueryCoverage, WatchedThread } from '../../shared/runs-query-types';
import type { IndexSource } from './index-source';
import type { RunIndex } from './run-index';

/**
 * Emulator mode: the index is built from the emulator's SQLite at start (in memory), then kept by its lifecycle
 * events, synchronously, as each write commits. Everything the emulator holds is indexed, so every answer is
 * complete. A bulk seed (`resync`) reloads the threads it names and tells feed clients to refetch them.
 */
export function indexFromEmulator(index: RunIndex, emulator: Pick<Emulator, 'events' | 'data'>): IndexSource {
  index.runMessages = (run) => emulator.data.runMessages(run);
  index.transaction(() => {
    for (const thread of emulator.data.threads()) index.upsertThread(thread, true);
    for (const run of emulator.data.runs()) index.upsertRun(run, true);
  });
  index.analyze();

  const apply = (event: LifecycleEvent) => {
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
        // A reply written (or grown) by a run changes that run's preview; a preview is bounded, so once it is full
        // the run is found unchanged and nothing is reported.
        const runId = event.message.run_id;
        const run = runId && event.change !== 'deleted' ? emulator.data.run(runId) : null;
        if (run) index.upsertRun(run);
        return;
      }
      case 'resync':
        index.transaction(() => {
          for (const threadId of event.threadIds) {
            index.replaceThreadRuns(threadId, emulator.data.runs(threadId), 'reset');
          }
        });
        index.analyze();
        return;
      default:
        // Steps and kinds added later do not change the index.
        return;
    }
  };
  const unsubscribe = emulator.events.subscribe((published: PublishedEvent) => apply(published.event));

  const watchedThreads = new Set<string>();
  const countThreads = index.db.prepare('SELECT COUNT(*) FROM threads').pluck();
  return {
    coverage: (threadId): QueryCoverage => ({
      complete: true,
      threads: threadId === null ? (countThreads.get() as number) : index.hasThread(threadId) ? 1 : 0,
      loading_threads: 0,
      refreshed_at: null,
    }),
    nowMs: () => emulator.data.nowMs(),
    assistantNames: () => emulator.data.assistantNames(),
    // Every thread is indexed anyway; the list is kept so the routes answer the same in both modes.
    watch: (threadIds) => threadIds.forEach((id) => watchedThreads.add(id)),
    unwatch: (threadId) => watchedThreads.delete(threadId),
    watched: (): WatchedThread[] =>
      [...watchedThreads].map((threadId) => ({
        thread_id: threadId,
        state: 'ready',
        runs_indexed:
          (index.db.prepare('SELECT run_count FROM threads WHERE id = ?').pluck().get(threadId) as number) ??
          0,
        refreshed_at: null,
        error: null,
      })),
    close: unsubscribe,
  };
}
