import { oneOf } from './field-rules';

/** The one value OpenAI's run step routes accept in `include[]` (list and get). */
export const RUN_STEP_INCLUDES = ['step_details.tool_calls[*].file_search.results[*].content'] as const;
export type RunStepInclude = (typeof RUN_STEP_INCLUDES)[number];

/**
 * `include[]` on the run step routes (the SDK sends `include[]=…`; a bare `include=…` is read the same way). Every
 * value must be the one OpenAI supports. The emulator runs no file search, so no step has results to fill in: the
 * answer is the same with or without it.
 */
export function parseStepInclude(queries: Record<string, string[]>): RunStepInclude[] {
  const values = [...(queries['include[]'] ?? []), ...(queries.include ?? [])];
  return values.map((value, index) => oneOf(value, RUN_STEP_INCLUDES, `include[${index}]`));
}
