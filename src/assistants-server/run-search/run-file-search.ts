import type { FileSearchResult, FileSearchToolCallDetails, RunStep } from '../../shared/openai-types';
import type { ChunkHit } from '../file-search/chunk-index';
import type { FileSearch } from '../file-search/file-search';
import type { StoreTables } from '../store/assistants-store';
import { completedHits } from '../vector-stores/vector-store-search';
import type { SearchSettings } from './search-settings';

/** A file_search call as it ends, before it gets its call id. */
export type FileSearchCall = Omit<FileSearchToolCallDetails, 'id'>;

/**
 * One file_search call of a run: the queries searched in the run's stores with the tool's settings. Every result
 * keeps its chunk's text (`content`): the step stores it, and the routes leave it out unless `include[]` asks.
 * Only files `completed` in their store are found, as the store's own search shows them (`completedHits`).
 * No stores, or no queries (arguments the model got wrong), is a call with no results.
 */
export async function searchFiles(
  fileSearch: FileSearch,
  tables: Pick<StoreTables, 'vectorStoreFiles'>,
  storeIds: readonly string[],
  queries: readonly string[],
  settings: SearchSettings,
  options: { signal?: AbortSignal; byWordsOnly?: boolean } = {},
): Promise<FileSearchCall> {
  const hits = await searchHits(fileSearch, storeIds, queries, settings, options);
  return fileSearchCall(tables, hits, queries, settings);
}

/**
 * The engine's best hits for the queries in the stores, whatever their file's status (`fileSearchCall` keeps the
 * completed ones): the slow half of a call, which reads no store table, so it can run before a transaction.
 */
export async function searchHits(
  fileSearch: FileSearch,
  storeIds: readonly string[],
  queries: readonly string[],
  settings: SearchSettings,
  options: { signal?: AbortSignal; byWordsOnly?: boolean } = {},
): Promise<ChunkHit[]> {
  if (storeIds.length === 0 || queries.length === 0) return [];
  const { hits } = await fileSearch.search(storeIds, queries, {
    maxNumResults: settings.maxNumResults,
    rankingOptions: { score_threshold: settings.rankingOptions.score_threshold },
    signal: options.signal,
    byWordsOnly: options.byWordsOnly,
  });
  return hits;
}

/** The call of those hits whose file is `completed` in its store now (`completedHits`: a read per file). */
export async function fileSearchCall(
  tables: Pick<StoreTables, 'vectorStoreFiles'>,
  hits: readonly ChunkHit[],
  queries: readonly string[],
  settings: SearchSettings,
): Promise<FileSearchCall> {
  const results: FileSearchResult[] = (await completedHits(tables, hits)).map(({ hit }) => ({
    file_id: hit.fileId,
    file_name: hit.filename,
    score: hit.score,
    content: [{ type: 'text', text: hit.text }],
  }));
  return {
    type: 'file_search',
    file_search: { ranking_options: { ...settings.rankingOptions }, results, queries: [...queries] },
  };
}

/** The run's file_search calls so far, in step order: a citation's first number is an index into this list. */
export function fileSearchCallsOf(steps: readonly RunStep[]): FileSearchToolCallDetails[] {
  return steps.flatMap(({ step_details: details }) =>
    details.type === 'tool_calls'
      ? details.tool_calls.filter((call): call is FileSearchToolCallDetails => call.type === 'file_search')
      : [],
  );
}
