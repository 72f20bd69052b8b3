import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { QueryCoverage, RunsQuery } from '../../../shared/runs-query-types';
import { runQueries } from '../../api/run-queries';
import { useViewState } from '../../hooks/use-view-state';
import type { RunsListViewProps } from './runs-list-view';
import type { ColumnVisibility } from './use-column-visibility';
import { useColumnVisibility } from './use-column-visibility';
import { useViewQuery } from './use-runs-list';

/** What a view's actions (export, insights) are given: the view's query, its total and coverage, its columns. */
export interface ViewActionsInput {
  query: RunsQuery;
  total: number | null;
  coverage: QueryCoverage | null;
  columnVisibility: ColumnVisibility;
}

type UrlBoundListProps = Pick<
  RunsListViewProps,
  | 'query'
  | 'statuses'
  | 'onStatusesChange'
  | 'createdAfter'
  | 'onCreatedAfterChange'
  | 'search'
  | 'onSearchChange'
  | 'sort'
  | 'onSortChange'
  | 'columnVisibility'
  | 'onColumnVisibilityChange'
>;

/**
 * A runs view whose filter, search and sort live in the URL (a thread's view, the home view's "All runs"): its query
 * (`scope` plus the URL's filter and sort), the server's answer, the columns shown (the person's choice, with the
 * view's `forcedColumns` on top), the list's props bound to the URL, and what the view's actions (export) are given.
 */
export function useViewRuns(scope: RunsQuery, forcedColumns: ColumnVisibility) {
  const [view, navigate] = useViewState();
  const [storedVisibility, setColumnVisibility] = useColumnVisibility();
  const columnVisibility = useMemo(
    () => ({ ...storedVisibility, ...forcedColumns }),
    [storedVisibility, forcedColumns],
  );
  const query = useViewQuery(scope, view.statuses, view.createdAfter, view.search, view.sort);
  const answer = useQuery(runQueries.list(query));

  const listProps: UrlBoundListProps = {
    query,
    statuses: view.statuses,
    onStatusesChange: (statuses) => navigate({ statuses }, { replace: true }),
    createdAfter: view.createdAfter,
    onCreatedAfterChange: (createdAfter) => navigate({ createdAfter }, { replace: true }),
    search: view.search,
    onSearchChange: (search) => navigate({ search }, { replace: true }),
    sort: view.sort,
    onSortChange: (sort) => navigate({ sort }, { replace: true }),
    columnVisibility,
    onColumnVisibilityChange: setColumnVisibility,
  };
  const viewActionsInput: ViewActionsInput = {
    query,
    total: answer.data?.total ?? null,
    coverage: answer.data?.coverage ?? null,
    columnVisibility,
  };
  return { view, navigate, query, answer, listProps, viewActionsInput };
}
