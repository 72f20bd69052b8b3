import { describe, expect, it } from 'vitest';
import type { AssistantTool } from '../../shared/openai-types';
import { storeIdsIn } from './run-vector-stores';
import { searchSettingsOf } from './search-settings';

const run = (tools: AssistantTool[], model = 'gpt-4o') => ({ tools, model });

describe('a run’s file_search settings', () => {
  it('are none without the tool, and OpenAI’s defaults with it: 20 results, 5 for gpt-3.5-turbo', () => {
    expect(searchSettingsOf(run([]))).toBeNull();
    expect(searchSettingsOf(run([{ type: 'file_search' }]))).toEqual({
      maxNumResults: 20,
      rankingOptions: { ranker: 'default_2024_08_21', score_threshold: 0 },
    });
    expect(searchSettingsOf(run([{ type: 'file_search' }], 'gpt-3.5-turbo-0125'))?.maxNumResults).toBe(5);
  });

  it('take the tool’s overrides', () => {
    const tool: AssistantTool = {
      type: 'file_search',
      file_search: { max_num_results: 3, ranking_options: { ranker: 'auto', score_threshold: 0.4 } },
    };
    expect(searchSettingsOf(run([tool], 'gpt-3.5-turbo'))).toEqual({
      maxNumResults: 3,
      rankingOptions: { ranker: 'default_2024_08_21', score_threshold: 0.4 },
    });
  });
});

describe('the vector stores in tool_resources', () => {
  it('reads file_search.vector_store_ids, ignoring anything else', () => {
    expect(storeIdsIn({ file_search: { vector_store_ids: ['vs_a', 7, '', 'vs_b'] } })).toEqual([
      'vs_a',
      'vs_b',
    ]);
    expect(storeIdsIn({ file_search: { vector_store_ids: 'vs_a' } })).toEqual([]);
    expect(storeIdsIn({ code_interpreter: { file_ids: ['file-1'] } })).toEqual([]);
    expect(storeIdsIn(null)).toEqual([]);
  });
});
