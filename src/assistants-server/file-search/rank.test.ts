import { describe, expect, it } from 'vitest';
import type { EmulatorApiError } from '../api-error';
import type { ChunkHit } from './chunk-index';
import { checkSearchOptions, fuseRankings, SEARCH_RANKERS } from './rank';

const hit = (fileId: string, score: number, chunkIndex = 0): ChunkHit => ({
  vectorStoreId: 'vs_a',
  fileId,
  filename: `${fileId}.txt`,
  chunkIndex,
  text: `text of ${fileId}`,
  score,
});
const ids = (hits: ChunkHit[]) => hits.map((one) => one.fileId);
const all = { maxNumResults: 50, scoreThreshold: 0 };

describe('fuseRankings', () => {
  it('ranks a chunk both lists found above chunks only one found first', () => {
    const lexical = [hit('a', 0.9), hit('both', 0.8), hit('c', 0.7)];
    const vector = [hit('d', 0.95), hit('both', 0.9), hit('e', 0.5)];
    const fused = fuseRankings([lexical, vector], all);
    expect(ids(fused)).toEqual(['both', 'a', 'd', 'c', 'e']);
    expect(fused[0]!.score).toBeCloseTo(2 / 62 / (2 / 61), 10);
    expect(fused.map((one) => one.score)).toEqual([...fused.map((one) => one.score)].sort((x, y) => y - x));
  });

  it('scores 1 a chunk first in every list, and keeps the scores of a single list', () => {
    expect(fuseRankings([[hit('a', 0.4)], [hit('a', 0.7)]], all)[0]!.score).toBe(1);
    expect(fuseRankings([[hit('a', 0.4), hit('b', 0.3)], []], all)).toEqual([hit('a', 0.4), hit('b', 0.3)]);
  });

  it('tells chunks of one file apart', () => {
    expect(
      fuseRankings([[hit('a', 0.5, 0), hit('a', 0.4, 1)], [hit('a', 0.5, 1)]], all).map(
        (one) => one.chunkIndex,
      ),
    ).toEqual([1, 0]);
  });

  it('drops hits under the threshold in each list before fusing, and returns at most maxNumResults', () => {
    const lexical = [hit('a', 0.9), hit('weak', 0.1)];
    const vector = [hit('weak', 0.2), hit('b', 0.6)];
    expect(ids(fuseRankings([lexical, vector], { maxNumResults: 50, scoreThreshold: 0.5 }))).toEqual([
      'a',
      'b',
    ]);
    expect(ids(fuseRankings([lexical, vector], { maxNumResults: 1, scoreThreshold: 0 }))).toEqual(['weak']);
    expect(fuseRankings([lexical, vector], { maxNumResults: 5, scoreThreshold: 0.95 })).toEqual([]);
  });
});

describe('checkSearchOptions', () => {
  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return (error as EmulatorApiError).toBody().error;
    }
    return null;
  };

  it('accepts 1–50 results, a threshold 0–1 and the tool rankers', () => {
    expect(checkSearchOptions(50, { ranker: 'default_2024_08_21', score_threshold: 1 })).toEqual({
      maxNumResults: 50,
      scoreThreshold: 1,
    });
    expect(checkSearchOptions(1, {})).toEqual({ maxNumResults: 1, scoreThreshold: 0 });
    expect(checkSearchOptions(5, { ranker: 'none' }, SEARCH_RANKERS).scoreThreshold).toBe(0);
  });

  it("refuses the rest in OpenAI's wording", () => {
    expect(refusal(() => checkSearchOptions(51, {}))).toEqual({
      message:
        "Invalid 'max_num_results': integer above maximum value. Expected a value <= 50, but got 51 instead.",
      type: 'invalid_request_error',
      param: 'max_num_results',
      code: 'integer_above_max_value',
    });
    expect(refusal(() => checkSearchOptions(0, {}))?.code).toBe('integer_below_min_value');
    expect(refusal(() => checkSearchOptions(5, { score_threshold: 1.5 }))?.param).toBe(
      'ranking_options.score_threshold',
    );
    expect(refusal(() => checkSearchOptions(5, { ranker: 'none' }))).toMatchObject({
      message: "Invalid value: 'none'. Supported values are: 'auto' and 'default_2024_08_21'.",
      param: 'ranking_options.ranker',
      code: 'invalid_value',
    });
  });
});
