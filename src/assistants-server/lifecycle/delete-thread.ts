import type { DeletedObject, Thread } from '../../shared/openai-types';
import type { AssistantsStore } from '../store/assistants-store';

/**
 * Deletes a thread with everything it held (messages, runs, run steps) in one transaction, as OpenAI did. A run still
 * active goes too: OpenAI locked a thread against new runs and messages only, never against its deletion.
 * Published as one `thread` `deleted` event.
 */
export async function deleteThread(
  store: AssistantsStore,
  thread: Thread,
): Promise<DeletedObject<'thread.deleted'>> {
  await store.transaction(async (tx) => {
    await tx.steps.deleteInThread(thread.id);
    await tx.modelCalls.deleteInThread(thread.id);
    await tx.runs.deleteInThread(thread.id);
    await tx.messages.deleteInThread(thread.id);
    await tx.threads.delete(thread);
  });
  return { id: thread.id, object: 'thread.deleted', deleted: true };
}
