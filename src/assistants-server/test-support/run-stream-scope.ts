import type { RunStreamScope } from '../streaming/run-event-translator';

/** What a stream of a new run knows: its thread and id, nothing seen yet. */
export function newRunScope(runId = 'run_1', threadId = 'thread_1'): RunStreamScope {
  return {
    threadId,
    runId,
    announceThread: false,
    includeSearchContent: false,
    knownStatus: null,
    knownSteps: [],
    knownMessages: [],
  };
}
