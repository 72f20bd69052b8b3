import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import type { RunStatus } from '../../../shared/openai-types';
import { isRunSortField } from '../../../shared/run-sort-keys';
import type { RunsQuery } from '../../../shared/runs-query-types';
import { loadMoreRuns, runQueries } from '../../api/run-queries';
import type { RunsSort } from '../../lib/view-state';

/** The URL's sort as the query API's (a column id that is not one of its sort fields means the default order). */
export function toQuerySort(sort: RunsSort | null): RunsQuery['sort'] {
  if (!sort || !isRunSortField(sort.id)) return undefined;
  return { field: sort.id, desc: sort.desc };
}

/** The query a list view asks the server: its scope (a thread, or all threads), plus the view's filter and sort. */
export function useViewQuery(
  base: RunsQuery,
  statuses: readonly RunStatus[],
  createdAfter: number | null,
  search: string,
  sort: RunsSort | null,
): RunsQuery {
  const baseKey = JSON.stringify(base);
  return useMemo(
    () => ({
      ...(JSON.parse(baseKey) as RunsQuery),
      ...(statuses.length > 0 ? { statuses: [...statuses] } : {}),
      ...(createdAfter !== null ? { createdAfter } : {}),
      ...(search.trim() ? { q: search.trim() } : {}),
      ...(toQuerySort(sort) ? { sort: toQuerySort(sort) } : {}),
    }),
    [baseKey, statuses, createdAfter, search, sort],
  );
}

/**
 * A runs list answered by the server, with the next page on demand. While a new filter or sort is being answered
 * the previous answer stays on screen, marked busy (`isPlaceholderData`), rather than a blank table.
 */
export function useRunsList(query: RunsQuery) {
  const client = useQueryClient();
  const list = useQuery({ ...runQueries.list(query), placeholderData: keepPreviousData });
  const counts = useQuery({ ...runQueries.counts(query), placeholderData: keepPreviousData });
  const loadMore = useMutation({ mutationFn: (forQuery: RunsQuery) => loadMoreRuns(client, forQuery) });
  const { mutate, isPending: loadingMore } = loadMore;
  const placeholder = list.isPlaceholderData;
  const onLoadMore = useCallback(() => {
    if (!placeholder) mutate(query);
  }, [mutate, placeholder, query]);
  return { list, counts, loadMore, loadingMore, onLoadMore };
}
