/**
 * The Assistants v2 wire shapes, typed once for the client, the server, the emulator and the tests.
 * They follow OpenAI's OpenAPI spec (`../shared/reference/openai-openapi.yaml`); names match its schemas.
 */

export type UnixSeconds = number;
export type Metadata = Record<string, string>;

export const RUN_STATUSES = [
  'queued',
  'in_progress',
  'requires_action',
  'cancelling',
  'cancelled',
  'failed',
  'completed',
  'incomplete',
  'expired',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Statuses in which a run can still change, and in which it locks its thread. */
export const ACTIVE_RUN_STATUSES = ['queued', 'in_progress', 'requires_action', 'cancelling'] as const;
export type ActiveRunStatus = (typeof ACTIVE_RUN_STATUSES)[number];
export const TERMINAL_RUN_STATUSES = ['cancelled', 'failed', 'completed', 'incomplete', 'expired'] as const;
export type TerminalRunStatus = (typeof TERMINAL_RUN_STATUSES)[number];
/** Statuses a cancel request is accepted from. */
export const CANCELLABLE_RUN_STATUSES = ['queued', 'in_progress', 'requires_action'] as const;

export function isActiveStatus(status: RunStatus): status is ActiveRunStatus {
  return (ACTIVE_RUN_STATUSES as readonly string[]).includes(status);
}
export function isTerminalStatus(status: RunStatus): status is TerminalRunStatus {
  return (TERMINAL_RUN_STATUSES as readonly string[]).includes(status);
}
export function isCancellableStatus(status: RunStatus): boolean {
  return (CANCELLABLE_RUN_STATUSES as readonly string[]).includes(status);
}

export const METADATA_LIMITS = { maxPairs: 16, maxKeyLength: 64, maxValueLength: 512 } as const;

// ---------- tools ----------

export interface FunctionDefinition {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
  strict?: boolean | null;
}
export interface CodeInterpreterTool {
  type: 'code_interpreter';
}
export interface FileSearchTool {
  type: 'file_search';
  file_search?: Record<string, unknown>;
}
export interface FunctionTool {
  type: 'function';
  function: FunctionDefinition;
}
export type AssistantTool = CodeInterpreterTool | FileSearchTool | FunctionTool;

export type ToolChoice =
  | 'none'
  | 'auto'
  | 'required'
  | { type: 'function'; function: { name: string } }
  | {
      type: 'file_search' | 'code_interpreter';
    };

export type ResponseFormat =
  | 'auto'
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      json_schema: {
        name: string;
        description?: string;
        schema?: Record<string, unknown>;
        strict?: boolean | null;
      };
    };

export interface TruncationStrategy {
  type: 'auto' | 'last_messages';
  last_messages?: number | null;
}

// ---------- runs ----------

export interface RunToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface RequiredAction {
  type: 'submit_tool_outputs';
  submit_tool_outputs: { tool_calls: RunToolCall[] };
}

export type RunErrorCode = 'server_error' | 'rate_limit_exceeded' | 'invalid_prompt';
export interface RunLastError {
  code: RunErrorCode;
  message: string;
}

export type IncompleteReason = 'max_completion_tokens' | 'max_prompt_tokens';
export interface IncompleteDetails {
  reason?: IncompleteReason;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** RunObject */
export interface Run {
  id: string;
  object: 'thread.run';
  created_at: UnixSeconds;
  thread_id: string;
  assistant_id: string;
  status: RunStatus;
  required_action: RequiredAction | null;
  last_error: RunLastError | null;
  expires_at: UnixSeconds | null;
  started_at: UnixSeconds | null;
  cancelled_at: UnixSeconds | null;
  failed_at: UnixSeconds | null;
  completed_at: UnixSeconds | null;
  incomplete_details: IncompleteDetails | null;
  model: string;
  instructions: string;
  tools: AssistantTool[];
  metadata: Metadata;
  usage: Usage | null;
  temperature: number | null;
  top_p: number | null;
  max_prompt_tokens: number | null;
  max_completion_tokens: number | null;
  truncation_strategy: TruncationStrategy | null;
  tool_choice: ToolChoice | null;
  parallel_tool_calls: boolean;
  response_format: ResponseFormat | null;
}

/** CreateRunRequest */
export interface CreateRunRequest {
  assistant_id: string;
  model?: string | null;
  instructions?: string | null;
  additional_instructions?: string | null;
  additional_messages?: CreateMessageRequest[] | null;
  tools?: AssistantTool[] | null;
  metadata?: Metadata | null;
  temperature?: number | null;
  top_p?: number | null;
  stream?: boolean | null;
  max_prompt_tokens?: number | null;
  max_completion_tokens?: number | null;
  truncation_strategy?: TruncationStrategy | null;
  tool_choice?: ToolChoice | null;
  parallel_tool_calls?: boolean;
  response_format?: ResponseFormat | null;
  reasoning_effort?: 'minimal' | 'low' | 'medium' | 'high' | null;
}

/** ModifyRunRequest */
export interface ModifyRunRequest {
  metadata?: Metadata | null;
}

export interface ToolOutput {
  tool_call_id: string;
  output: string;
}
/** SubmitToolOutputsRunRequest */
export interface SubmitToolOutputsRequest {
  tool_outputs: ToolOutput[];
  stream?: boolean | null;
}

export interface ListRunsQuery {
  limit?: number;
  order?: 'asc' | 'desc';
  after?: string;
  before?: string;
}

// ---------- assistants, threads, messages, steps ----------

/** AssistantObject */
export interface Assistant {
  id: string;
  object: 'assistant';
  created_at: UnixSeconds;
  name: string | null;
  description: string | null;
  model: string;
  instructions: string | null;
  tools: AssistantTool[];
  tool_resources?: Record<string, unknown> | null;
  metadata: Metadata;
  temperature?: number | null;
  top_p?: number | null;
  response_format?: ResponseFormat | null;
  reasoning_effort?: 'minimal' | 'low' | 'medium' | 'high' | null;
}

/** CreateAssistantRequest */
export interface CreateAssistantRequest {
  model: string;
  name?: string | null;
  description?: string | null;
  instructions?: string | null;
  tools?: AssistantTool[];
  metadata?: Metadata | null;
  temperature?: number | null;
  top_p?: number | null;
  response_format?: ResponseFormat | null;
}

/** ModifyAssistantRequest: every field optional; what is absent (or null) stays as it is. */
export type ModifyAssistantRequest = Partial<CreateAssistantRequest> & {
  tool_resources?: Record<string, unknown> | null;
};

/** ThreadObject */
export interface Thread {
  id: string;
  object: 'thread';
  created_at: UnixSeconds;
  tool_resources: Record<string, unknown> | null;
  metadata: Metadata;
}

/** CreateThreadRequest */
export interface CreateThreadRequest {
  messages?: CreateMessageRequest[];
  metadata?: Metadata | null;
}

/** ModifyThreadRequest */
export interface ModifyThreadRequest {
  tool_resources?: Record<string, unknown> | null;
  metadata?: Metadata | null;
}

export interface TextContent {
  type: 'text';
  text: { value: string; annotations: unknown[] };
}

/** MessageObject */
export interface Message {
  id: string;
  object: 'thread.message';
  created_at: UnixSeconds;
  thread_id: string;
  status: 'in_progress' | 'incomplete' | 'completed';
  incomplete_details: { reason: string } | null;
  completed_at: UnixSeconds | null;
  incomplete_at: UnixSeconds | null;
  role: 'user' | 'assistant';
  content: TextContent[];
  assistant_id: string | null;
  run_id: string | null;
  attachments: unknown[] | null;
  metadata: Metadata;
}

/** CreateMessageRequest */
export interface CreateMessageRequest {
  role: 'user' | 'assistant';
  content: string | Array<{ type: 'text'; text: string }>;
  attachments?: unknown[] | null;
  metadata?: Metadata | null;
}

/** ModifyMessageRequest */
export interface ModifyMessageRequest {
  metadata?: Metadata | null;
}

export interface MessageCreationStepDetails {
  type: 'message_creation';
  message_creation: { message_id: string };
}
export interface FunctionToolCallDetails {
  id: string;
  type: 'function';
  function: { name: string; arguments: string; output: string | null };
}
export interface ToolCallsStepDetails {
  type: 'tool_calls';
  tool_calls: FunctionToolCallDetails[];
}

/** RunStepObject */
export interface RunStep {
  id: string;
  object: 'thread.run.step';
  created_at: UnixSeconds;
  assistant_id: string;
  thread_id: string;
  run_id: string;
  type: 'message_creation' | 'tool_calls';
  status: 'in_progress' | 'cancelled' | 'failed' | 'completed' | 'expired';
  step_details: MessageCreationStepDetails | ToolCallsStepDetails;
  last_error: RunLastError | null;
  expired_at: UnixSeconds | null;
  cancelled_at: UnixSeconds | null;
  failed_at: UnixSeconds | null;
  completed_at: UnixSeconds | null;
  metadata: Metadata;
  usage: Usage | null;
}

// ---------- envelopes ----------

/** DeleteAssistantResponse, DeleteThreadResponse, DeleteMessageResponse. */
export interface DeletedObject<
  Kind extends 'assistant.deleted' | 'thread.deleted' | 'thread.message.deleted',
> {
  id: string;
  object: Kind;
  deleted: boolean;
}

/** ListRunsResponse, ListAssistantsResponse, ListMessagesResponse, ListRunStepsResponse share this envelope. */
export interface ListResponse<T> {
  object: 'list';
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

/** ErrorResponse */
export interface ApiError {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}
export interface ErrorResponse {
  error: ApiError;
}
