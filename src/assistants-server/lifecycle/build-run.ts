import type { Assistant, CreateRunRequest, Run, UnixSeconds } from '../../shared/openai-types';
import { newId } from '../ids';
import { RUN_LIFETIME_SECONDS } from './timings';

/** A new queued run: the request's overrides over the assistant's settings, OpenAI's defaults for the rest. */
export function buildQueuedRun(
  threadId: string,
  request: CreateRunRequest,
  assistant: Assistant,
  createdAt: UnixSeconds,
): Run {
  const baseInstructions = request.instructions ?? assistant.instructions ?? '';
  const instructions = request.additional_instructions
    ? [baseInstructions, request.additional_instructions].filter(Boolean).join('\n\n')
    : baseInstructions;
  return {
    id: newId('run'),
    object: 'thread.run',
    created_at: createdAt,
    thread_id: threadId,
    assistant_id: assistant.id,
    status: 'queued',
    required_action: null,
    last_error: null,
    expires_at: createdAt + RUN_LIFETIME_SECONDS,
    started_at: null,
    cancelled_at: null,
    failed_at: null,
    completed_at: null,
    incomplete_details: null,
    model: request.model ?? assistant.model,
    instructions,
    tools: request.tools ?? assistant.tools,
    metadata: request.metadata ?? {},
    usage: null,
    temperature: request.temperature ?? assistant.temperature ?? 1,
    top_p: request.top_p ?? assistant.top_p ?? 1,
    max_prompt_tokens: request.max_prompt_tokens ?? null,
    max_completion_tokens: request.max_completion_tokens ?? null,
    truncation_strategy: request.truncation_strategy ?? { type: 'auto', last_messages: null },
    tool_choice: request.tool_choice ?? 'auto',
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    response_format: request.response_format ?? assistant.response_format ?? 'auto',
  };
}
