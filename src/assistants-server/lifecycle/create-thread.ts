import type { CreateThreadRequest, MessageAttachment, Thread } from '../../shared/openai-types';
import { newId } from '../ids';
import type { StoreTables } from '../store/assistants-store';
import { postedMessage } from './wire-objects';

/** Puts a message's attachments where they go (the thread's vector store); answers the thread as it is then. */
export type AttachFiles = (
  thread: Thread,
  attachments: readonly MessageAttachment[],
  path: string,
) => Promise<Thread>;

/**
 * A thread with its initial messages, written in `tx` (a transaction, so all or nothing); `attach` places the
 * messages' attachments (`path` names the messages in a refusal: `messages`, or `thread.messages`).
 */
export async function createThread(
  tx: StoreTables,
  request: CreateThreadRequest,
  createdAt: number,
  attach?: { files: AttachFiles; path: string },
): Promise<Thread> {
  const thread: Thread = {
    id: newId('thread'),
    object: 'thread',
    created_at: createdAt,
    tool_resources: request.tool_resources ?? {},
    metadata: request.metadata ?? {},
  };
  await tx.threads.insert(thread);
  let current = thread;
  for (const [index, message] of (request.messages ?? []).entries()) {
    if (attach && message.attachments?.length) {
      current = await attach.files(current, message.attachments, `${attach.path}[${index}].attachments`);
    }
    await tx.messages.insert(postedMessage(thread.id, message, createdAt));
  }
  return current;
}
