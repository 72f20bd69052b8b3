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
  const files = new Map<string, VectorStoreFile | null>();
  const data: VectorStoreSearchResultsPage['data'] = [];
  for (const hit of hits) {
    if (data.length === wanted) break;
    if (!files.has(hit.fileId))
      files.set(hit.fileId, await tables.vectorStoreFiles.get(vectorStore.id, hit.fileId));
    const file = files.get(hit.fileId);
    // Removed (or attached again and not yet processed) since the chunk was indexed.
    if (file?.status !== 'completed') continue;
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
