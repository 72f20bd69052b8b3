import type { DeletedObject, Thread } from '../../shared/openai-types';
import type { AssistantsStore } from '../store/assistants-store';

/**
 * Deletes a thread with everything it held (messages, runs, run steps) in one transaction, as OpenAI did. A run still
 * active goes too: OpenAI locked a thread against new runs and messages only, never against its deletion.
 * Published as one `thread` `deleted` event.
 */
export function deleteThread(store: AssistantsStore, thread: Thread): DeletedObject<'thread.deleted'> {
  store.transaction(() => {
    store.steps.deleteInThread(thread.id);
    store.modelCalls.deleteInThread(thread.id);
    store.runs.deleteInThread(thread.id);
    store.messages.deleteInThread(thread.id);
    store.threads.delete(thread);
  });
  return { id: thread.id, object: 'thread.deleted', deleted: true };
}
