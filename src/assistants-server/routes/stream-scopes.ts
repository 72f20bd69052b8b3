import type { Run } from '../../shared/openai-types';
import type { AssistantsStore } from '../store/assistants-store';
import type { RunStreamScope } from '../streaming/run-event-translator';

/** A stream of a run just created: the client knows nothing of it yet. */
export function newRunScope(
  run: Run,
  options: { announceThread?: boolean; includeSearchContent?: boolean } = {},
): RunStreamScope {
  return {
    threadId: run.thread_id,
    runId: run.id,
    announceThread: options.announceThread ?? false,
    includeSearchContent: options.includeSearchContent ?? false,
    knownStatus: null,
    knownSteps: [],
    knownMessages: [],
  };
}

/**
 * A stream that continues a run (submit tool outputs): its steps and messages so far were shown by the stream
 * that ended in requires_action, so only their changes from now on are sent. Read before the submit writes.
 */
export async function continuedRunScope(store: AssistantsStore, run: Run): Promise<RunStreamScope> {
  const messages = await store.messages.inThread(run.thread_id);
  return {
    threadId: run.thread_id,
    runId: run.id,
    announceThread: false,
    includeSearchContent: false,
    knownStatus: run.status,
    knownSteps: await store.steps.ofRun(run.id),
    knownMessages: messages.filter((message) => message.run_id === run.id),
  };
}
