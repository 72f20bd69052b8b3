import type { CreateThreadRequest, Thread } from '../../shared/openai-types';
import { newId } from '../ids';
import type { StoreTables } from '../store/assistants-store';
import { postedMessage } from './wire-objects';

/** A thread with its initial messages, written in `tx` (a transaction, so all or nothing). */
export async function createThread(
  tx: StoreTables,
  request: CreateThreadRequest,
  createdAt: number,
): Promise<Thread> {
  const thread: Thread = {
    id: newId('thread'),
    object: 'thread',
    created_at: createdAt,
    tool_resources: request.tool_resources ?? {},
    metadata: request.metadata ?? {},
  };
  await tx.threads.insert(thread);
  for (const message of request.messages ?? [])
    await tx.messages.insert(postedMessage(thread.id, message, createdAt));
  return thread;
}
