/**
 * The Assistants v2 wire shapes, typed once for the client, the server, the emulator and the tests.
 * They follow OpenAI's OpenAPI spec (`../shared/reference/openai-openapi.yaml`); names match its schemas.
 */

import type { AssistantTool, ResponseFormat, ToolChoice, TruncationStrategy } from './requests/tool-requests';

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

export type {
  AssistantTool,
  FileSearchTool,
  FunctionDefinition,
  FunctionTool,
  ResponseFormat,
  ToolChoice,
  TruncationStrategy,
} from './requests/tool-requests';

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

export type {
  CreateRunRequest,
  CreateThreadAndRunRequest,
  ModifyRunRequest,
  SubmitToolOutputsRequest,
  ToolOutput,
} from './requests/run-requests';

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

export type { CreateAssistantRequest, ModifyAssistantRequest } from './requests/assistant-requests';

/** ThreadObject */
export interface Thread {
  id: string;
  object: 'thread';
  created_at: UnixSeconds;
  tool_resources: Record<string, unknown> | null;
  metadata: Metadata;
}

export type { CreateThreadRequest, ModifyThreadRequest } from './requests/thread-requests';

/** MessageContentTextAnnotationsFileCitationObject: a marker in the text that cites a file a file_search found. */
export interface FileCitationAnnotation {
  type: 'file_citation';
  /** The marker as it stands in the text (`【0:1†handbook.md】`). */
  text: string;
  file_citation: { file_id: string };
  /** The marker's place in the text: UTF-16 code units, `end_index` exclusive (`value.slice(start, end) === text`). */
  start_index: number;
  end_index: number;
}
/** MessageContentTextAnnotationsFilePathObject (code_interpreter's; never written here). */
export interface FilePathAnnotation {
  type: 'file_path';
  text: string;
  file_path: { file_id: string };
  start_index: number;
  end_index: number;
}
export type TextAnnotation = FileCitationAnnotation | FilePathAnnotation;

export interface TextContent {
  type: 'text';
  text: { value: string; annotations: TextAnnotation[] };
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
  attachments: MessageAttachment[] | null;
  metadata: Metadata;
}

export type { CreateMessageRequest, ModifyMessageRequest } from './requests/message-requests';
import type { MessageAttachment } from './requests/message-requests';
export type { MessageAttachment };

export interface MessageCreationStepDetails {
  type: 'message_creation';
  message_creation: { message_id: string };
}
export interface FunctionToolCallDetails {
  id: string;
  type: 'function';
  function: { name: string; arguments: string; output: string | null };
}
/** FileSearchRanker */
export type FileSearchRanker = 'auto' | 'default_2024_08_21';
/** RunStepDetailsToolCallsFileSearchRankingOptionsObject */
export interface FileSearchRankingOptions {
  ranker: FileSearchRanker;
  score_threshold: number;
}
/** RunStepDetailsToolCallsFileSearchResultObject */
export interface FileSearchResult {
  file_id: string;
  file_name: string;
  score: number;
  /** Only with `include[]=step_details.tool_calls[*].file_search.results[*].content`. */
  content?: Array<{ type: 'text'; text: string }>;
}
/** RunStepDetailsToolCallsFileSearchObject */
export interface FileSearchToolCallDetails {
  id: string;
  type: 'file_search';
  file_search: {
    ranking_options?: FileSearchRankingOptions;
    results?: FileSearchResult[];
    /** Runboard's extension: what was searched for (OpenAI's step did not say). */
    queries?: string[];
  };
}
export type ToolCallDetails = FunctionToolCallDetails | FileSearchToolCallDetails;
export interface ToolCallsStepDetails {
  type: 'tool_calls';
  tool_calls: ToolCallDetails[];
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
  Kind extends
    | 'assistant.deleted'
    | 'thread.deleted'
    | 'thread.message.deleted'
    | 'file'
    | 'vector_store.deleted'
    | 'vector_store.file.deleted',
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

// ---------- streaming (`stream: true`) ----------

/** MessageDeltaContentTextAnnotationsFileCitationObject (and its file_path sibling): an annotation, by its index. */
export type TextAnnotationDelta = TextAnnotation & { index: number };
/** MessageDeltaContentTextObject: text added, annotations added (a delta may carry either or both). */
export interface TextContentDelta {
  index: number;
  type: 'text';
  text: { value?: string; annotations?: TextAnnotationDelta[] };
}
/** MessageDeltaObject */
export interface MessageDelta {
  id: string;
  object: 'thread.message.delta';
  delta: { content: TextContentDelta[] };
}

export interface FunctionToolCallDelta {
  index: number;
  id?: string;
  type: 'function';
  function: { name?: string; arguments?: string; output?: string | null };
}
/** RunStepDeltaStepDetailsToolCallsFileSearchObject: `file_search` is `{}` while the call is under way. */
export interface FileSearchToolCallDelta {
  index: number;
  id?: string;
  type: 'file_search';
  file_search: Record<string, never>;
}
/** RunStepDeltaObject */
export interface RunStepDelta {
  id: string;
  object: 'thread.run.step.delta';
  delta: {
    step_details: { type: 'tool_calls'; tool_calls: Array<FunctionToolCallDelta | FileSearchToolCallDelta> };
  };
}

/** AssistantStreamEvent: one server-sent event of a streamed run (`event:` is the name, `data:` the JSON). */
export type AssistantStreamEvent =
  | { event: 'thread.created'; data: Thread }
  | { event: 'thread.run.created' | `thread.run.${RunStatus}`; data: Run }
  | { event: 'thread.run.step.created' | `thread.run.step.${RunStep['status']}`; data: RunStep }
  | { event: 'thread.run.step.delta'; data: RunStepDelta }
  | { event: 'thread.message.created' | `thread.message.${Message['status']}`; data: Message }
  | { event: 'thread.message.delta'; data: MessageDelta }
  | { event: 'error'; data: ApiError }
  | { event: 'done'; data: '[DONE]' };

/** What `POST /v1/files` accepts as `purpose` (the spec's `CreateFileRequest`). */
export const FILE_PURPOSES = ['assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals'] as const;
export type FilePurpose = (typeof FILE_PURPOSES)[number];

/** An uploaded file (the spec's `OpenAIFile`); its bytes are kept beside the database, not in it. */
export interface OpenAIFile {
  id: string;
  object: 'file';
  bytes: number;
  created_at: number;
  /** Absent: uploads here do not expire (`expires_after` is not taken yet). */
  expires_at?: number;
  filename: string;
  purpose: FilePurpose;
  /** Deprecated in the spec; an upload here is `processed` once stored. */
  status: 'uploaded' | 'processed' | 'error';
  status_details?: string;
}

// ---------- vector stores ----------

export const VECTOR_STORE_FILE_STATUSES = ['in_progress', 'completed', 'cancelled', 'failed'] as const;
/** A vector store file's (and a file batch's) `status`. */
export type VectorStoreFileStatus = (typeof VECTOR_STORE_FILE_STATUSES)[number];

/** `file_counts` of a vector store or a file batch. */
export interface VectorStoreFileCounts {
  in_progress: number;
  completed: number;
  failed: number;
  cancelled: number;
  total: number;
}

/** VectorStoreExpirationAfter: the store expires `days` after it was last active. */
export interface VectorStoreExpirationAfter {
  anchor: 'last_active_at';
  days: number;
}

/** VectorStoreObject */
export interface VectorStore {
  id: string;
  object: 'vector_store';
  created_at: UnixSeconds;
  name: string;
  usage_bytes: number;
  file_counts: VectorStoreFileCounts;
  status: 'expired' | 'in_progress' | 'completed';
  expires_after?: VectorStoreExpirationAfter;
  expires_at: UnixSeconds | null;
  last_active_at: UnixSeconds | null;
  metadata: Metadata;
}

/** StaticChunkingStrategyResponseParam: what a vector store file says it was cut with (`auto` answers as 800/400). */
export interface StaticChunkingStrategy {
  type: 'static';
  static: { max_chunk_size_tokens: number; chunk_overlap_tokens: number };
}

/** VectorStoreFileAttributes: at most 16 pairs; values are strings (≤ 512), numbers or booleans. */
export type VectorStoreFileAttributes = Record<string, string | number | boolean>;

/** VectorStoreFileObject: a file in a vector store (its `id` is the file's). */
export interface VectorStoreFile {
  id: string;
  object: 'vector_store.file';
  usage_bytes: number;
  created_at: UnixSeconds;
  vector_store_id: string;
  status: VectorStoreFileStatus;
  last_error: { code: 'server_error' | 'unsupported_file' | 'invalid_file'; message: string } | null;
  chunking_strategy: StaticChunkingStrategy;
  attributes: VectorStoreFileAttributes | null;
}

/** VectorStoreFileBatchObject (`object` is `vector_store.files_batch`, as the spec and OpenAI spell it). */
export interface VectorStoreFileBatch {
  id: string;
  object: 'vector_store.files_batch';
  created_at: UnixSeconds;
  vector_store_id: string;
  status: VectorStoreFileStatus;
  file_counts: VectorStoreFileCounts;
}

/** VectorStoreSearchResultItem */
export interface VectorStoreSearchResultItem {
  file_id: string;
  filename: string;
  score: number;
  attributes: VectorStoreFileAttributes | null;
  content: Array<{ type: 'text'; text: string }>;
}

/** VectorStoreSearchResultsPage */
export interface VectorStoreSearchResultsPage {
  object: 'vector_store.search_results.page';
  search_query: string[];
  data: VectorStoreSearchResultItem[];
  has_more: boolean;
  next_page: string | null;
}

/** VectorStoreFileContentResponse: the parsed text of a vector store file (one page: the spec has no page token). */
export interface VectorStoreFileContentPage {
  object: 'vector_store.file_content.page';
  data: Array<{ type: 'text'; text: string }>;
  has_more: boolean;
  next_page: string | null;
}

export type {
  CreateVectorStoreRequest,
  ModifyVectorStoreRequest,
  CreateVectorStoreFileRequest,
  CreateVectorStoreFileBatchRequest,
  VectorStoreSearchRequest,
  AttributeFilter,
} from './requests/vector-store-requests';
