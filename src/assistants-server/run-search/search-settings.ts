import type { FileSearchRankingOptions, FileSearchTool, Run } from '../../shared/openai-types';

/** The file_search tool's `max_num_results` when it sets none: 20, and 5 for gpt-3.5-turbo (OpenAI's defaults). */
export const DEFAULT_MAX_NUM_RESULTS = 20;
export const GPT_35_MAX_NUM_RESULTS = 5;

/** How a run's file_search tool searches: its bounds and ranking, as the step's `ranking_options` reports them. */
export interface SearchSettings {
  maxNumResults: number;
  rankingOptions: FileSearchRankingOptions;
}

/**
 * The run's file_search settings, or null when `file_search` is not among its tools. `ranker: auto` is reported
 * as the ranker it stands for, `default_2024_08_21`, as OpenAI's steps did; the threshold defaults to 0.
 */
export function searchSettingsOf(run: Pick<Run, 'tools' | 'model'>): SearchSettings | null {
  const tool = run.tools.find((candidate): candidate is FileSearchTool => candidate.type === 'file_search');
  if (!tool) return null;
  const overrides = tool.file_search ?? {};
  const fallback = run.model.startsWith('gpt-3.5') ? GPT_35_MAX_NUM_RESULTS : DEFAULT_MAX_NUM_RESULTS;
  return {
    maxNumResults: overrides.max_num_results ?? fallback,
    rankingOptions: {
      ranker: 'default_2024_08_21',
      score_threshold: overrides.ranking_options?.score_threshold ?? 0,
    },
  };
}
