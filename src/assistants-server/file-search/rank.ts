import * as z from 'zod';
import { decimal, integer } from '../../shared/requests/request-fields';
import { checkedOption } from './checked-option';
import type { ChunkHit } from './chunk-index';

/** The rankers OpenAI named: the file_search tool's (`FileSearchRanker`) and the vector store search's. */
export const TOOL_RANKERS = ['auto', 'default_2024_08_21'] as const;
export const SEARCH_RANKERS = ['none', 'auto', 'default-2024-11-15'] as const;
export type Ranker = (typeof TOOL_RANKERS)[number] | (typeof SEARCH_RANKERS)[number];

export interface RankingOptions {
  ranker?: Ranker;
  score_threshold?: number;
}

export const MAX_NUM_RESULTS_RANGE = { min: 1, max: 50 };
/** Reciprocal rank fusion's constant (Cormack et al.): a hit at rank r adds 1 / (60 + r). */
export const RRF_K = 60;

/**
 * `max_num_results` (1–50) and `ranking_options` checked in OpenAI's wording. Every ranker ranks the same way here
 * (there is no learned reranker): the name is accepted so clients that send one work.
 */
export function checkSearchOptions(
  maxNumResults: number,
  ranking: RankingOptions,
  rankers: readonly Ranker[] = TOOL_RANKERS,
  paths = { maxNumResults: 'max_num_results', ranking: 'ranking_options' },
): { maxNumResults: number; scoreThreshold: number } {
  checkedOption(integer(MAX_NUM_RESULTS_RANGE), maxNumResults, paths.maxNumResults);
  if (ranking.ranker !== undefined) checkedOption(z.enum(rankers), ranking.ranker, `${paths.ranking}.ranker`);
  const scoreThreshold = ranking.score_threshold ?? 0;
  checkedOption(decimal({ min: 0, max: 1 }), scoreThreshold, `${paths.ranking}.score_threshold`);
  return { maxNumResults, scoreThreshold };
}

const keyOf = (hit: ChunkHit) => `${hit.vectorStoreId}\u0000${hit.fileId}\u0000${hit.chunkIndex}`;

/**
 * Several ranked lists of hits (lexical and vector, for one query or several) as one: each list's hits under
 * `scoreThreshold` are dropped first (the threshold keeps its meaning, similar enough by words or by embedding),
 * then the lists are fused by reciprocal rank, best first, `maxNumResults` at most. A single list keeps its own
 * scores; fused hits score their fused rank, normalised so that a hit first in every list scores 1.
 */
export function fuseRankings(
  lists: readonly (readonly ChunkHit[])[],
  options: { maxNumResults: number; scoreThreshold: number },
): ChunkHit[] {
  const kept = lists
    .map((list) => list.filter((hit) => hit.score >= options.scoreThreshold))
    .filter((list) => list.length > 0);
  if (kept.length <= 1) return (kept[0] ?? []).slice(0, options.maxNumResults);
  const fused = new Map<string, { hit: ChunkHit; sum: number }>();
  for (const list of kept) {
    list.forEach((hit, rank) => {
      const entry = fused.get(keyOf(hit)) ?? { hit, sum: 0 };
      entry.sum += 1 / (RRF_K + rank + 1);
      fused.set(keyOf(hit), entry);
    });
  }
  const best = kept.length / (RRF_K + 1);
  return [...fused.values()]
    .sort((a, b) => b.sum - a.sum)
    .slice(0, options.maxNumResults)
    .map(({ hit, sum }) => ({ ...hit, score: Math.min(1, sum / best) }));
}
