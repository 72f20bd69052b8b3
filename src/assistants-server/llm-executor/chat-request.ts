import type { FunctionTool, IncompleteReason, Run } from '../../shared/openai-types';
import { countTokens } from '../lifecycle/replies';
import type { ChatCompletionRequest, ChatFunctionTool, ChatMessage, ChatToolChoice } from './chat-types';
import type { Conversation } from './conversation';
import { searchToolDefinition } from './search-tool';

/** The run's token use so far: `max_prompt_tokens` and `max_completion_tokens` bound the whole run, not one call. */
export interface TokensUsed {
  prompt: number;
  completion: number;
}

export type PreparedRequest =
  | { ok: true; request: ChatCompletionRequest; promptEstimate: number }
  | { ok: false; reason: IncompleteReason };

/** The search tool of a run with `file_search`: its name, whether it is offered this turn, and searches so far. */
export interface SearchOffer {
  name: string;
  offered: boolean;
  searchedBefore: boolean;
}

/**
 * The chat-completions request for the run's next model call: the instructions (with `additional_instructions`)
 * as the system message, the conversation, the function tools one to one, the search tool when `search` offers it
 * (`tool_choice: {type: 'file_search'}` forces it until the run has searched once), and the run's sampling and
 * format settings. `code_interpreter` is left out: no model endpoint runs it.
 * With `max_prompt_tokens`, the oldest blocks of the conversation are dropped until the prompt fits (about four
 * characters a token); when even the latest exchange cannot fit, the run ends `incomplete`.
 */
export function prepareChatRequest(
  run: Run,
  conversation: Conversation,
  options: { model: string; used: TokensUsed; search?: SearchOffer | null },
): PreparedRequest {
  let maxCompletion: number | undefined;
  if (run.max_completion_tokens !== null) {
    maxCompletion = run.max_completion_tokens - options.used.completion;
    if (maxCompletion <= 0) return { ok: false, reason: 'max_completion_tokens' };
  }
  const search = options.search ?? null;
  const tools = functionTools(run);
  if (search?.offered) tools.push(searchToolDefinition(search.name));
  const system: ChatMessage[] = run.instructions.trim()
    ? [{ role: 'system', content: run.instructions }]
    : [];
  const fixed = estimateTokens(system) + estimateTokens(conversation.current) + toolTokens(tools);
  const blocks = [...conversation.earlier];
  let prompt = fixed + blocks.reduce((sum, block) => sum + estimateTokens(block), 0);
  if (run.max_prompt_tokens !== null) {
    const budget = run.max_prompt_tokens - options.used.prompt;
    // The latest earlier block (usually the user's question) is kept: without it there is nothing to answer.
    while (prompt > budget && blocks.length > 1) prompt -= estimateTokens(blocks.shift()!);
    if (prompt > budget) return { ok: false, reason: 'max_prompt_tokens' };
  }

  const request: ChatCompletionRequest = {
    model: options.model,
    messages: [...system, ...blocks.flat(), ...conversation.current],
    stream: true,
    stream_options: { include_usage: true },
  };
  if (tools.length > 0) {
    request.tools = tools;
    const choice = toolChoice(run.tool_choice, search);
    if (choice !== undefined) request.tool_choice = choice;
    request.parallel_tool_calls = run.parallel_tool_calls;
  }
  if (run.temperature !== null) request.temperature = run.temperature;
  if (run.top_p !== null) request.top_p = run.top_p;
  if (run.response_format !== 'auto' && run.response_format !== null)
    request.response_format = run.response_format;
  if (maxCompletion !== undefined) request.max_completion_tokens = maxCompletion;
  return { ok: true, request, promptEstimate: prompt };
}

function functionTools(run: Run): ChatFunctionTool[] {
  return run.tools
    .filter((tool): tool is FunctionTool => tool.type === 'function')
    .map((tool) => ({ type: 'function', function: { ...tool.function } }));
}

function toolChoice(choice: Run['tool_choice'], search: SearchOffer | null): ChatToolChoice | undefined {
  if (choice === 'none' || choice === 'auto' || choice === 'required') return choice;
  if (typeof choice === 'object' && choice?.type === 'function')
    return { type: 'function', function: { name: choice.function.name } };
  if (
    typeof choice === 'object' &&
    choice?.type === 'file_search' &&
    search?.offered &&
    !search.searchedBefore
  )
    return { type: 'function', function: { name: search.name } };
  return undefined;
}

/** Tools the model executor cannot run; a `tool_choice` that forces one is refused when the run is created. */
export const UNSUPPORTED_TOOL_TYPES = ['code_interpreter'] as const;

export function estimateTokens(messages: ChatMessage[]): number {
  let total = 0;
  for (const message of messages) {
    total += countTokens(message.content ?? '');
    if (message.role === 'assistant')
      for (const call of message.tool_calls ?? [])
        total += countTokens(call.function.name + call.function.arguments);
  }
  return total;
}

function toolTokens(tools: ChatFunctionTool[]): number {
  return tools.length > 0 ? countTokens(JSON.stringify(tools)) : 0;
}
