import type {
  VectorStore,
  VectorStoreFile,
  VectorStoreSearchRequest,
  VectorStoreSearchResultsPage,
} from '../../shared/openai-types';
import type { FileSearch } from '../file-search/file-search';
import { MAX_NUM_RESULTS_RANGE, SEARCH_RANKERS } from '../file-search/rank';
import type { StoreTables } from '../store/assistants-store';
import { matchesFilter } from './attribute-filter';

/**
 * `POST /vector_stores/{id}/search`: the store's best chunks for the query (a string or a list), each with its
 * file's name and attributes. With `filters`, the engine is asked for its most results (50) and those of files whose
 * attributes do not pass are left out, so a filter narrows the best 50, never reaches past them. `rewrite_query` is
 * accepted and the query is searched as given (`search_query` says so).
 */
export async function searchVectorStore(
  tables: StoreTables,
  fileSearch: FileSearch,
  vectorStore: VectorStore,
  request: VectorStoreSearchRequest,
  signal?: AbortSignal,
): Promise<VectorStoreSearchResultsPage> {
  const wanted = request.max_num_results ?? 10;
  const { hits } = await fileSearch.search([vectorStore.id], request.query, {
    maxNumResults: request.filters ? Math.max(wanted, MAX_NUM_RESULTS_RANGE.max) : wanted,
    rankingOptions: {
      ranker: request.ranking_options?.ranker ?? undefined,
      score_threshold: request.ranking_options?.score_threshold ?? undefined,
    },
    rankers: SEARCH_RANKERS,
    signal,
  });
  const data: VectorStoreSearchResultsPage['data'] = [];
  for (const { hit, file } of await completedHits(tables, hits)) {
    if (data.length === wanted) break;
    if (request.filters && !matchesFilter(file.attributes, request.filters)) continue;
    data.push({
      file_id: hit.fileId,
      filename: hit.filename,
      score: hit.score,
      attributes: file.attributes,
      content: [{ type: 'text', text: hit.text }],
    });
  }
  return {
    object: 'vector_store.search_results.page',
    search_query: typeof request.query === 'string' ? [request.query] : request.query,
    data,
    has_more: false,
    next_page: null,
  };
}

/**
 * The hits whose file is `completed` in its store, each with its file, in their order: a file removed, failed,
 * cancelled, or attached again and not yet processed may still have chunks in the index for a moment, and none of
 * them is shown. The store's search and a run's both filter so. Each file's row is read once.
 */
export async function completedHits<Hit extends { vectorStoreId: string; fileId: string }>(
  tables: Pick<StoreTables, 'vectorStoreFiles'>,
  hits: readonly Hit[],
): Promise<Array<{ hit: Hit; file: VectorStoreFile }>> {
  const files = new Map<string, VectorStoreFile | null>();
  const kept: Array<{ hit: Hit; file: VectorStoreFile }> = [];
  for (const hit of hits) {
    const key = `${hit.vectorStoreId}/${hit.fileId}`;
    if (!files.has(key)) files.set(key, await tables.vectorStoreFiles.get(hit.vectorStoreId, hit.fileId));
    const file = files.get(key);
    if (file?.status === 'completed') kept.push({ hit, file });
  }
  return kept;
}
