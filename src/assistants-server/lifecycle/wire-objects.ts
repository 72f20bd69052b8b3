import type {
  CreateMessageRequest,
  Message,
  RunStep,
  RunToolCall,
  UnixSeconds,
  Usage,
} from '../../shared/openai-types';
import { newId } from '../ids';
import { messageText } from '../../shared/requests/message-requests';

export function usageOf(prompt: number, completion: number): Usage {
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

export function textContent(text: string): Message['content'] {
  return [{ type: 'text', text: { value: text, annotations: [] } }];
}

/** A message a user (or a client) posts, or one of a thread's initial / additional messages. */
export function postedMessage(
  threadId: string,
  request: CreateMessageRequest,
  createdAt: UnixSeconds,
): Message {
  return {
    id: newId('msg'),
    object: 'thread.message',
    created_at: createdAt,
    thread_id: threadId,
    status: 'completed',
    incomplete_details: null,
    completed_at: createdAt,
    incomplete_at: null,
    role: request.role,
    content: textContent(messageText(request.content)),
    assistant_id: null,
    run_id: null,
    attachments: request.attachments ?? [],
    metadata: request.metadata ?? {},
  };
}

/** The assistant's message a run writes; `incomplete` when the completion-token limit cut it off. */
export function assistantMessage(
  threadId: string,
  runId: string,
  assistantId: string,
  text: string,
  createdAt: UnixSeconds,
  incomplete = false,
): Message {
  return {
    id: newId('msg'),
    object: 'thread.message',
    created_at: createdAt,
    thread_id: threadId,
    status: incomplete ? 'incomplete' : 'completed',
    incomplete_details: incomplete ? { reason: 'max_tokens' } : null,
    completed_at: incomplete ? null : createdAt,
    incomplete_at: incomplete ? createdAt : null,
    role: 'assistant',
    content: textContent(text),
    assistant_id: assistantId,
    run_id: runId,
    attachments: [],
    metadata: {},
  };
}

export function newStep(
  base: { threadId: string; runId: string; assistantId: string; createdAt: UnixSeconds },
  details: RunStep['step_details'],
): RunStep {
  return {
    id: newId('step'),
    object: 'thread.run.step',
    created_at: base.createdAt,
    assistant_id: base.assistantId,
    thread_id: base.threadId,
    run_id: base.runId,
    type: details.type,
    status: 'in_progress',
    step_details: details,
    last_error: null,
    expired_at: null,
    cancelled_at: null,
    failed_at: null,
    completed_at: null,
    metadata: {},
    usage: null,
  };
}

/** The tool_calls step of function calls a run waits on in requires_action: no outputs yet. */
export function functionCallsStep(
  base: { threadId: string; runId: string; assistantId: string; createdAt: UnixSeconds },
  calls: RunToolCall[],
): RunStep {
  return newStep(base, {
    type: 'tool_calls',
    tool_calls: calls.map((call) => ({
      id: call.id,
      type: 'function' as const,
      function: { name: call.function.name, arguments: call.function.arguments, output: null },
    })),
  });
}

/** A message as it starts being written: in_progress, no content yet. */
export function startedMessage(message: Message): Message {
  return {
    ...message,
    status: 'in_progress',
    incomplete_details: null,
    completed_at: null,
    incomplete_at: null,
    content: [],
  };
}

/** A step as it starts: in_progress, no end time, no usage yet. */
export function startedStep(step: RunStep): RunStep {
  return {
    ...step,
    status: 'in_progress',
    completed_at: null,
    failed_at: null,
    cancelled_at: null,
    expired_at: null,
    last_error: null,
    usage: null,
  };
}
