import type { Metadata, RunErrorCode } from '../../../shared/openai-types';
import { badRequest } from '../../api-error';

/**
 * Scenario triggers, in the spirit of Stripe's test card numbers: put `runboard_scenario: <name>` in the run's
 * metadata (or the assistant's, for every run of it) and the run ends the way the name says.
 */
export const SCENARIO_METADATA_KEY = 'runboard_scenario';

export const SCENARIOS = [
  'fail_server_error',
  'fail_rate_limit_exceeded',
  'fail_invalid_prompt',
  'incomplete_max_completion_tokens',
  'incomplete_max_prompt_tokens',
  'expire',
  'slow',
  'cancel_stuck',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const FAILURE_MESSAGES: Record<RunErrorCode, string> = {
  server_error: 'Sorry, something went wrong.',
  rate_limit_exceeded:
    'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
  invalid_prompt:
    'Invalid prompt: your prompt was flagged as potentially violating our usage policy. Please try again with a different prompt.',
};

export function failureCode(scenario: Scenario | null): RunErrorCode | null {
  if (scenario === 'fail_server_error') return 'server_error';
  if (scenario === 'fail_rate_limit_exceeded') return 'rate_limit_exceeded';
  if (scenario === 'fail_invalid_prompt') return 'invalid_prompt';
  return null;
}

export function incompleteReason(
  scenario: Scenario | null,
): 'max_completion_tokens' | 'max_prompt_tokens' | null {
  if (scenario === 'incomplete_max_completion_tokens') return 'max_completion_tokens';
  if (scenario === 'incomplete_max_prompt_tokens') return 'max_prompt_tokens';
  return null;
}

/** The run's own metadata wins over the assistant's; an unknown name is refused so a typo does not pass silently. */
export function scenarioFor(runMetadata: Metadata, assistantMetadata: Metadata): Scenario | null {
  const fromRun = runMetadata[SCENARIO_METADATA_KEY];
  const value = fromRun ?? assistantMetadata[SCENARIO_METADATA_KEY];
  if (value === undefined || value === '') return null;
  if ((SCENARIOS as readonly string[]).includes(value)) return value as Scenario;
  const where = fromRun !== undefined ? 'metadata' : "the assistant's metadata";
  throw badRequest(
    `Invalid '${SCENARIO_METADATA_KEY}' in ${where}: '${value}' is not a Runboard scenario. Supported values are: ${SCENARIOS.map((name) => `'${name}'`).join(', ')}.`,
    fromRun !== undefined ? `metadata.${SCENARIO_METADATA_KEY}` : 'assistant_id',
    'invalid_value',
  );
}
