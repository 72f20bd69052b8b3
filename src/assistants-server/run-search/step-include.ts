import type { RunStep } from '../../shared/openai-types';

/**
 * A step as a client asked for it: the chunks' text of its file_search results (`content`) only with
 * `include[]=step_details.tool_calls[*].file_search.results[*].content`, as OpenAI answered. Steps are stored
 * with it (the model's conversation is rebuilt from them).
 */
export function stepAsAsked(step: RunStep, includeContent: boolean): RunStep {
  if (includeContent || step.step_details.type !== 'tool_calls') return step;
  const calls = step.step_details.tool_calls;
  if (!calls.some((call) => call.type === 'file_search' && call.file_search.results?.length)) return step;
  return {
    ...step,
    step_details: {
      type: 'tool_calls',
      tool_calls: calls.map((call) =>
        call.type === 'file_search' && call.file_search.results
          ? {
              ...call,
              file_search: {
                ...call.file_search,
                results: call.file_search.results.map(({ content: _content, ...result }) => result),
              },
            }
          : call,
      ),
    },
  };
}
