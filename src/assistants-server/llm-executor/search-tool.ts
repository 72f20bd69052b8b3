import type { Run } from '../../shared/openai-types';
import { MAX_QUERIES, MAX_QUERY_CHARS } from '../file-search/file-search';
import type { ChatFunctionTool } from './chat-types';

/**
 * The search tool the model is offered when a run has `file_search`: a function, since a chat-completions
 * endpoint runs no tool itself. OpenAI's own models were given one too (`msearch`, taking a list of `queries`), and
 * called it instead of answering when the files might hold the answer. It is named `file_search`, the tool type the
 * run's step records, which models recognise; a run whose own function is called `file_search` keeps that name
 * for its function, and the search is `runboard_file_search`.
 */
export const SEARCH_TOOL_NAME = 'file_search';
export const FALLBACK_SEARCH_TOOL_NAME = 'runboard_file_search';

/**
 * The most turns of a run that search: after them the tool is no longer offered, so the model must answer with
 * what it found. A model that calls it anyway fails the run (`server_error`) rather than search for ever.
 */
export const MAX_SEARCH_TURNS = 4;

export function searchToolName(run: Pick<Run, 'tools'>): string {
  return run.tools.some((tool) => tool.type === 'function' && tool.function.name === SEARCH_TOOL_NAME)
    ? FALLBACK_SEARCH_TOOL_NAME
    : SEARCH_TOOL_NAME;
}

export function searchToolDefinition(name: string): ChatFunctionTool {
  return {
    type: 'function',
    function: {
      name,
      description:
        'Search the files the user gave you for passages that answer their question. Use it whenever the answer may be in those files. Each result comes with a citation marker like 【0:1†name】: when you use a result, copy its marker right after the sentence that uses it.',
      parameters: {
        type: 'object',
        properties: {
          queries: {
            type: 'array',
            items: { type: 'string' },
            minItems: 1,
            maxItems: MAX_QUERIES,
            description:
              'What to look for: the question itself, and rewordings or keywords that could find other passages.',
          },
        },
        required: ['queries'],
        additionalProperties: false,
      },
    },
  };
}

/**
 * The queries of a search call: `{"queries": [...]}` of 1 to 10 non-empty strings (a lone `{"query": "…"}` is
 * read too, as models write it); each cut to 10,000 characters. Anything else is null: the call runs no search and
 * the model is told how to call it.
 */
export function searchQueries(argumentsJson: string): string[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(argumentsJson);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { queries, query } = parsed as { queries?: unknown; query?: unknown };
  const list = Array.isArray(queries) ? queries : typeof query === 'string' ? [query] : null;
  if (!list || list.length === 0 || list.length > MAX_QUERIES) return null;
  if (!list.every((item): item is string => typeof item === 'string' && item.trim() !== '')) return null;
  return list.map((item) => item.slice(0, MAX_QUERY_CHARS));
}
