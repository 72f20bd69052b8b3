import type { ResponseFormat } from '../../shared/openai-types';

/**
 * The slice of OpenAI's chat-completions wire format the model executor speaks (`POST {base}/chat/completions`),
 * as OpenAI, Azure OpenAI, Ollama, vLLM, LiteLLM and OpenRouter accept it.
 */

export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: ChatToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface ChatFunctionTool {
  type: 'function';
  function: {
    name: string;
    description?: string;
    parameters?: Record<string, unknown>;
    strict?: boolean | null;
  };
}

export type ChatToolChoice = 'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } };

/** The chat API takes the same response formats as a run, except `auto` (a run's default, sent as no format). */
export type ChatResponseFormat = Exclude<ResponseFormat, 'auto'>;

export interface ChatCompletionRequest {
  model: string;
  messages: ChatMessage[];
  tools?: ChatFunctionTool[];
  tool_choice?: ChatToolChoice;
  parallel_tool_calls?: boolean;
  temperature?: number;
  top_p?: number;
  response_format?: ChatResponseFormat;
  max_completion_tokens?: number;
  stream: true;
  stream_options: { include_usage: true };
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens?: number;
}

/** One `data:` frame of a streamed completion. */
export interface ChatCompletionChunk {
  choices?: Array<{
    index?: number;
    delta?: {
      role?: string;
      content?: string | null;
      tool_calls?: Array<{
        index?: number;
        id?: string;
        type?: 'function';
        function?: { name?: string; arguments?: string };
      }>;
    };
    finish_reason?: FinishReason | null;
  }>;
  usage?: ChatUsage | null;
}

/** A whole (non-streamed) completion: what an upstream that ignores `stream: true` answers. */
export interface ChatCompletion {
  choices?: Array<{
    message?: { content?: string | null; tool_calls?: ChatToolCall[] };
    finish_reason?: FinishReason | null;
  }>;
  usage?: ChatUsage | null;
}
