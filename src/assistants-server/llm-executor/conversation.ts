import {
  isFunctionCall,
  type Message,
  type RunStep,
  type TruncationStrategy,
} from '../../shared/openai-types';
import type { ChatMessage } from './chat-types';

/** What the conversation is read from: the thread's messages (oldest first) and each run's steps (oldest first). */
export interface ConversationSource {
  messages: Message[];
  stepsOf(runId: string): RunStep[];
}

/**
 * The thread as chat messages, in blocks that are kept or dropped whole (a tool result never loses the call it
 * answers): one block per user message or message without a run, one per earlier run (its messages and its
 * answered tool calls, in step order), and last the current run's own transcript so far.
 */
export interface Conversation {
  earlier: ChatMessage[][];
  current: ChatMessage[];
}

/** The messages a run reads, after its truncation strategy (`last_messages`). */
export function conversationWindow(messages: Message[], truncation: TruncationStrategy | null): Message[] {
  return truncation?.type === 'last_messages' && typeof truncation.last_messages === 'number'
    ? messages.slice(Math.max(0, messages.length - truncation.last_messages))
    : messages;
}

export function buildConversation(
  runId: string,
  source: ConversationSource,
  truncation: TruncationStrategy | null,
): Conversation {
  const byId = new Map(source.messages.map((message) => [message.id, message]));
  const window = conversationWindow(source.messages, truncation);
  const emitted = new Set<string>();
  const earlier: ChatMessage[][] = [];
  for (const message of window) {
    if (message.run_id === null) {
      earlier.push([plainMessage(message)]);
      continue;
    }
    if (message.run_id === runId || emitted.has(message.run_id)) continue;
    emitted.add(message.run_id);
    const transcript = runTranscript(source.stepsOf(message.run_id), byId);
    if (transcript.length > 0) earlier.push(transcript);
  }
  return { earlier, current: runTranscript(source.stepsOf(runId), byId) };
}

/** A run's messages and answered tool calls as the model saw and said them. Unanswered calls are left out. */
function runTranscript(steps: RunStep[], messages: Map<string, Message>): ChatMessage[] {
  const transcript: ChatMessage[] = [];
  for (const step of steps) {
    const details = step.step_details;
    if (details.type === 'message_creation') {
      // A message still in_progress is the one being rewritten now (after a restart): not part of the prompt.
      const message = messages.get(details.message_creation.message_id);
      const text = message && message.status !== 'in_progress' ? textOf(message) : '';
      if (text) transcript.push({ role: 'assistant', content: text });
      continue;
    }
    const calls = details.tool_calls.filter(isFunctionCall);
    if (calls.length === 0 || calls.some((call) => call.function.output === null)) continue;
    transcript.push({
      role: 'assistant',
      content: null,
      tool_calls: calls.map((call) => ({
        id: call.id,
        type: 'function',
        function: { name: call.function.name, arguments: call.function.arguments },
      })),
    });
    for (const call of calls)
      transcript.push({ role: 'tool', tool_call_id: call.id, content: call.function.output ?? '' });
  }
  return transcript;
}

function plainMessage(message: Message): ChatMessage {
  return message.role === 'user'
    ? { role: 'user', content: textOf(message) }
    : { role: 'assistant', content: textOf(message) };
}

export function textOf(message: Message): string {
  return message.content.map((part) => part.text.value).join('\n');
}
