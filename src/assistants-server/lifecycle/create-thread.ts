import type { CreateThreadRequest, Thread } from '../../shared/openai-types';
import { newId } from '../ids';
import type { AssistantsStore } from '../store/assistants-store';
import { postedMessage } from './wire-objects';

/** A thread with its initial messages, written in one transaction. */
export function createThread(
  store: AssistantsStore,
  request: CreateThreadRequest,
  createdAt: number,
): Thread {
  const thread: Thread = {
    id: newId('thread'),
    object: 'thread',
    created_at: createdAt,
    tool_resources: request.tool_resources ?? {},
    metadata: request.metadata ?? {},
  };
  store.transaction(() => {
    store.threads.insert(thread);
    for (const message of request.messages ?? [])
      store.messages.insert(postedMessage(thread.id, message, createdAt));
  });
  return thread;
}
