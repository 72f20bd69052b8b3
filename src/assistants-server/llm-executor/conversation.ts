import type { Message, RunStep, ToolCallDetails, TruncationStrategy } from '../../shared/openai-types';
import { MAX_RESULT_CHARS, resultsForModel } from '../run-search/citations';
import type { ChatMessage, ChatToolCall } from './chat-types';

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

/**
 * `searchToolName`: the current run's file_search calls are part of its transcript as calls of this function, with
 * the results the model read; an earlier run's searches are not (its answer, citations included, stands for them).
 */
export function buildConversation(
  runId: string,
  source: ConversationSource,
  truncation: TruncationStrategy | null,
  searchToolName: string | null = null,
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
    const transcript = runTranscript(source.stepsOf(message.run_id), byId, null);
    if (transcript.length > 0) earlier.push(transcript);
  }
  return { earlier, current: runTranscript(source.stepsOf(runId), byId, searchToolName) };
}

/**
 * A run's messages and answered tool calls as the model saw and said them. Unanswered calls are left out; so are
 * file_search calls without `searchToolName`. A search call's answer is its results as the model read them (the
 * marker numbers count the run's file_search calls in step order).
 */
function runTranscript(
  steps: RunStep[],
  messages: Map<string, Message>,
  searchToolName: string | null,
): ChatMessage[] {
  const transcript: ChatMessage[] = [];
  let searches = 0;
  for (const step of steps) {
    const details = step.step_details;
    if (details.type === 'message_creation') {
      // A message still in_progress is the one being rewritten now (after a restart): not part of the prompt.
      const message = messages.get(details.message_creation.message_id);
      const text = message && message.status !== 'in_progress' ? textOf(message) : '';
      if (text) transcript.push({ role: 'assistant', content: text });
      continue;
    }
    const answers: Array<{ call: ChatToolCall; output: string }> = [];
    // The results of one answer's searches share one bound, whatever the number of calls.
    const searchCalls = details.tool_calls.filter((call) => call.type === 'file_search').length;
    const maxChars = Math.floor(MAX_RESULT_CHARS / Math.max(1, searchCalls));
    for (const call of details.tool_calls) {
      const answer = answered(call, searchToolName, searches, maxChars);
      if (call.type === 'file_search') searches++;
      if (answer) answers.push(answer);
    }
    if (answers.length === 0 || answers.length < details.tool_calls.length) continue;
    transcript.push({ role: 'assistant', content: null, tool_calls: answers.map(({ call }) => call) });
    for (const { call, output } of answers)
      transcript.push({ role: 'tool', tool_call_id: call.id, content: output });
  }
  return transcript;
}

/** A tool call as the model made it and the answer it read; null while unanswered (or a search left out). */
function answered(
  call: ToolCallDetails,
  searchToolName: string | null,
  searchIndex: number,
  maxChars: number,
): { call: ChatToolCall; output: string } | null {
  if (call.type === 'file_search') {
    if (searchToolName === null) return null;
    const queries = call.file_search.queries ?? [];
    return {
      call: {
        id: call.id,
        type: 'function',
        function: { name: searchToolName, arguments: JSON.stringify({ queries }) },
      },
      output: resultsForModel(searchIndex, call, maxChars),
    };
  }
  if (call.function.output === null) return null;
  return {
    call: {
      id: call.id,
      type: 'function',
      function: { name: call.function.name, arguments: call.function.arguments },
    },
    output: call.function.output,
  };
}

function plainMessage(message: Message): ChatMessage {
  return message.role === 'user'
    ? { role: 'user', content: textOf(message) }
    : { role: 'assistant', content: textOf(message) };
}

export function textOf(message: Message): string {
  return message.content.map((part) => part.text.value).join('\n');
}
