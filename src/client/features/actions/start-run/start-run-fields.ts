import type { CreateRunRequest, ToolChoice } from '../../../../shared/openai-types';
import type { MetadataProblems, MetadataRow } from '../metadata/metadata-pairs';
import { metadataFromRows, validateMetadataRows } from '../metadata/metadata-pairs';

/** The start-run form as typed: every override is text or a choice, empty meaning "the assistant's default". */
export interface StartRunFields {
  assistantId: string;
  model: string;
  instructions: string;
  additionalInstructions: string;
  additionalMessage: string;
  temperature: string;
  topP: string;
  maxPromptTokens: string;
  maxCompletionTokens: string;
  truncation: 'default' | 'auto' | 'last_messages';
  lastMessages: string;
  /** 'default', 'none', 'auto', 'required', or 'function:<name>'. */
  toolChoice: string;
  parallelToolCalls: 'default' | 'true' | 'false';
  metadata: MetadataRow[];
}

export const EMPTY_START_RUN_FIELDS: StartRunFields = {
  assistantId: '',
  model: '',
  instructions: '',
  additionalInstructions: '',
  additionalMessage: '',
  temperature: '',
  topP: '',
  maxPromptTokens: '',
  maxCompletionTokens: '',
  truncation: 'default',
  lastMessages: '',
  toolChoice: 'default',
  parallelToolCalls: 'default',
  metadata: [],
};

export type StartRunErrors = Partial<Record<Exclude<keyof StartRunFields, 'metadata'>, string>>;

export interface StartRunCheck {
  /** Null while anything is wrong. */
  request: CreateRunRequest | null;
  errors: StartRunErrors;
  metadata: MetadataProblems;
}

const ASSISTANT_ID = /^asst_[A-Za-z0-9_-]+$/;

/** Reads a number field: undefined when empty, or an error in words. Ranges are CreateRunRequest's (spec L36415). */
function readNumber(
  text: string,
  rule: { min: number; max?: number; integer?: boolean; what: string },
): { value?: number; error?: string } {
  const trimmed = text.trim();
  if (!trimmed) return {};
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { error: `${rule.what} must be a number.` };
  if (rule.integer && !Number.isInteger(value)) return { error: `${rule.what} must be a whole number.` };
  if (value < rule.min || (rule.max !== undefined && value > rule.max)) {
    return {
      error:
        rule.max !== undefined
          ? `${rule.what} must be between ${rule.min} and ${rule.max}.`
          : `${rule.what} must be at least ${rule.min}.`,
    };
  }
  return { value };
}

function readToolChoice(choice: string): ToolChoice | undefined {
  if (choice === 'none' || choice === 'auto' || choice === 'required') return choice;
  if (choice.startsWith('function:'))
    return { type: 'function', function: { name: choice.slice('function:'.length) } };
  return undefined;
}

/** Checks the form against the API's limits and builds the request with only the overrides that were set. */
export function checkStartRun(fields: StartRunFields): StartRunCheck {
  const errors: StartRunErrors = {};
  const assistantId = fields.assistantId.trim();
  if (!assistantId) errors.assistantId = 'Choose an assistant, or paste its id (asst_…).';
  else if (!ASSISTANT_ID.test(assistantId))
    errors.assistantId = "An assistant id begins with 'asst_' and has only letters, digits, - and _.";

  const temperature = readNumber(fields.temperature, { min: 0, max: 2, what: 'Temperature' });
  const topP = readNumber(fields.topP, { min: 0, max: 1, what: 'Top p' });
  const maxPrompt = readNumber(fields.maxPromptTokens, {
    min: 256,
    integer: true,
    what: 'Max prompt tokens',
  });
  const maxCompletion = readNumber(fields.maxCompletionTokens, {
    min: 256,
    integer: true,
    what: 'Max completion tokens',
  });
  const lastMessages =
    fields.truncation === 'last_messages'
      ? readNumber(fields.lastMessages, { min: 1, integer: true, what: 'The number of messages' })
      : {};
  if (temperature.error) errors.temperature = temperature.error;
  if (topP.error) errors.topP = topP.error;
  if (maxPrompt.error) errors.maxPromptTokens = maxPrompt.error;
  if (maxCompletion.error) errors.maxCompletionTokens = maxCompletion.error;
  if (lastMessages.error) errors.lastMessages = lastMessages.error;
  if (fields.truncation === 'last_messages' && !fields.lastMessages.trim()) {
    errors.lastMessages = 'Say how many recent messages to keep.';
  }

  const metadata = validateMetadataRows(fields.metadata);
  if (Object.keys(errors).length > 0 || !metadata.valid) return { request: null, errors, metadata };

  const request: CreateRunRequest = { assistant_id: assistantId };
  if (fields.model.trim()) request.model = fields.model.trim();
  if (fields.instructions.trim()) request.instructions = fields.instructions;
  if (fields.additionalInstructions.trim()) request.additional_instructions = fields.additionalInstructions;
  if (fields.additionalMessage.trim()) {
    request.additional_messages = [{ role: 'user', content: fields.additionalMessage }];
  }
  if (temperature.value !== undefined) request.temperature = temperature.value;
  if (topP.value !== undefined) request.top_p = topP.value;
  if (maxPrompt.value !== undefined) request.max_prompt_tokens = maxPrompt.value;
  if (maxCompletion.value !== undefined) request.max_completion_tokens = maxCompletion.value;
  if (fields.truncation === 'auto') request.truncation_strategy = { type: 'auto' };
  if (fields.truncation === 'last_messages') {
    request.truncation_strategy = { type: 'last_messages', last_messages: lastMessages.value ?? null };
  }
  const toolChoice = readToolChoice(fields.toolChoice);
  if (toolChoice !== undefined) request.tool_choice = toolChoice;
  if (fields.parallelToolCalls !== 'default')
    request.parallel_tool_calls = fields.parallelToolCalls === 'true';
  const pairs = metadataFromRows(fields.metadata);
  if (Object.keys(pairs).length > 0) request.metadata = pairs;
  return { request, errors, metadata };
}
