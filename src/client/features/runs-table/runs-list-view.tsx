import { lazy, Suspense, useCallback, useState } from 'react';
import type { ReactNode } from 'react';
import type { Run, RunStatus } from '../../../shared/openai-types';
import { RUN_STATUSES } from '../../../shared/openai-types';
import type { RunsQuery } from '../../../shared/runs-query-types';
import type { RunsSort } from '../../lib/view-state';
import { backendNow } from '../../lib/backend-clock';
import { EmptyState } from '../../ui/empty-state';
import { ErrorState } from '../../ui/error-state';
import { SkeletonRows } from '../../ui/skeleton';
import { StaleBanner } from '../../ui/stale-banner';
import { loadedText } from './loaded-text';
import { RunsTable } from './runs-table';
import { RunsToolbar } from './runs-toolbar';
import type { ColumnVisibility } from './use-column-visibility';
import type { OpenRun } from './use-grid-keyboard';
import { useRunsList } from './use-runs-list';

// Only a partial answer (proxy mode) shows it: loaded then, outside the initial bundle.
const CoverageNotice = lazy(() =>
  import('../../ui/coverage-notice').then((module) => ({ default: module.CoverageNotice })),
);

const NO_RUNS: Run[] = [];

export interface RunsListViewProps {
  /** The scope, filter and sort the server answers (see useViewQuery). */
  query: RunsQuery;
  statuses: RunStatus[];
  onStatusesChange: (statuses: RunStatus[]) => void;
  /** The time bound (Unix seconds) the list is filtered to, removable; null when none. */
  createdAfter: number | null;
  onCreatedAfterChange: (createdAfter: number | null) => void;
  search: string;
  onSearchChange: (search: string) => void;
  sort: RunsSort | null;
  onSortChange: (sort: RunsSort | null) => void;
  columnVisibility: ColumnVisibility;
  onColumnVisibilityChange: (visibility: ColumnVisibility) => void;
  /** Opening a run; by default in this view's panel. */
  onOpen?: OpenRun;
  renderRowActions?: (run: Run) => ReactNode;
  /** What the empty, unfiltered list says. */
  empty: { title: string; body: ReactNode };
  /** What a failed first read says. */
  errorTitle: string;
}

/**
 * A runs list with its toolbar: the status chips count, the sort orders and the search finds over all the data of
 * the scope (the server answers them), the table loads the next page as the person scrolls, and a partial answer
 * (proxy mode) says so.
 */
export function RunsListView(props: RunsListViewProps) {
  const { query, statuses, search } = props;
  const { list, counts, loadMore, loadingMore, onLoadMore } = useRunsList(query);
  const answer = list.data;
  const runs = answer?.runs ?? NO_RUNS;
  const filtered = statuses.length > 0 || props.createdAfter !== null || search.trim() !== '';
  // Runs created after the first answer arrived while the person watched: they get a brief highlight. Taken when that
  // answer is in, so the backend's clock (an advanced emulator clock) is known by then.
  const [arrivalsAfter, setArrivalsAfter] = useState<number | null>(null);
  if (arrivalsAfter === null && answer) setArrivalsAfter(Math.floor(backendNow() / 1000));
  const byStatus = counts.data?.by_status;
  const retryLoadMore = useCallback(() => onLoadMore(), [onLoadMore]);

  if (list.isPending) return <SkeletonRows rows={10} label="Loading runs" />;
  if (list.isError && !answer)
    return <ErrorState title={props.errorTitle} error={list.error} onRetry={() => list.refetch()} />;

  return (
    <>
      {list.isRefetchError && answer && (
        <StaleBanner
          what="runs"
          updatedAt={list.dataUpdatedAt}
          error={list.error}
          onRetry={() => list.refetch()}
        />
      )}
      {loadMore.error && (
        <ErrorState title="Cannot load more runs" error={loadMore.error} onRetry={retryLoadMore} />
      )}
      <RunsToolbar
        counts={byStatus ?? NO_COUNTS}
        statuses={statuses}
        onStatusesChange={props.onStatusesChange}
        createdAfter={props.createdAfter}
        onCreatedAfterChange={props.onCreatedAfterChange}
        search={search}
        onSearchChange={props.onSearchChange}
        columnVisibility={props.columnVisibility}
        onColumnVisibilityChange={props.onColumnVisibilityChange}
      />
      {answer?.coverage && !answer.coverage.complete && (
        <Suspense fallback={null}>
          <CoverageNotice coverage={answer.coverage} />
        </Suspense>
      )}
      {runs.length === 0 && !filtered && !list.isPlaceholderData ? (
        <EmptyState title={props.empty.title}>{props.empty.body}</EmptyState>
      ) : (
        <>
          {runs.length === 0 && !list.isPlaceholderData && (
            <p role="status" className="px-3 py-2 text-xs text-muted">
              {answer?.coverage.complete === false
                ? 'No run matches the filter among the runs loaded so far.'
                : 'No run matches the filter.'}
            </p>
          )}
          <RunsTable
            runs={runs}
            filterKey={`${statuses.join(',')}|${search}`}
            sort={props.sort}
            onSortChange={props.onSortChange}
            statuses={statuses}
            columnVisibility={props.columnVisibility}
            onOpen={props.onOpen}
            hasMore={(answer?.hasMore ?? false) && !list.isPlaceholderData}
            loadingMore={loadingMore}
            onLoadMore={onLoadMore}
            arrivalsAfter={arrivalsAfter ?? Number.POSITIVE_INFINITY}
            busy={list.isPlaceholderData}
            loadedText={loadedText(
              runs.length,
              answer?.total ?? runs.length,
              answer?.hasMore ?? false,
              filtered,
              answer?.coverage,
            )}
            renderRowActions={props.renderRowActions}
          />
        </>
      )}
    </>
  );
}

const NO_COUNTS = Object.fromEntries(RUN_STATUSES.map((status) => [status, 0])) as Record<RunStatus, number>;
