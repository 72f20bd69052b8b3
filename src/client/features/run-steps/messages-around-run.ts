import type { Message, Run } from '../../../shared/openai-types';

const CONTEXT_BEFORE = 3;

/**
 * The messages a person reads to understand a run: the last few written before it started (its input) and the ones
 * it wrote itself. `messages` must be oldest first.
 */
export function messagesAroundRun(messages: readonly Message[], run: Run): Message[] {
  const before = messages.filter(
    (message) => message.run_id === null && message.created_at <= run.created_at,
  );
  const own = messages.filter((message) => message.run_id === run.id);
  return [...before.slice(-CONTEXT_BEFORE), ...own];
}

/** The text of a message's content parts, joined. */
export function messageText(message: Message): string {
  return message.content.map((part) => part.text.value).join('\n');
}
