import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { Run } from '../../../shared/openai-types';
import type { RunsSort } from '../../lib/sort-runs';
import { assistantQueries } from '../../api/assistant-queries';
import { loadMoreRuns, runQueries } from '../../api/run-queries';
import { useViewSelector, useViewState } from '../../hooks/use-view-state';
import { backendNow } from '../../lib/backend-clock';
import { CopyButton } from '../../ui/copy-button';
import { EmptyState } from '../../ui/empty-state';
import { ErrorState } from '../../ui/error-state';
import { SkeletonRows } from '../../ui/skeleton';
import { StaleBanner } from '../../ui/stale-banner';
import { countByStatus, createSearchText, filterRuns } from './filter-runs';
import { RunsTable } from './runs-table';
import { RunsToolbar } from './runs-toolbar';
import { useColumnVisibility } from './use-column-visibility';
import { AssistantNamesContext } from './assistant-names';

const NO_RUNS: Run[] = [];

/** The selected thread's runs: toolbar, live table, loading / empty / error states. */
export interface RunsViewSlots {
  /** Controls for the thread header (e.g. start a run), composed by the app from other features. */
  renderThreadActions?: (threadId: string) => ReactNode;
  /** Controls inside each run row (e.g. cancel). Pass a stable function: rows are memoized. */
  renderRowActions?: (run: Run) => ReactNode;
  /** Controls about the rows shown (e.g. export), given the filtered runs, the sort and the visible columns. */
  renderViewActions?: (
    threadId: string,
    runs: Run[],
    sort: RunsSort | null,
    columnVisibility: Record<string, boolean>,
  ) => ReactNode;
}

export function RunsView({ renderThreadActions, renderRowActions, renderViewActions }: RunsViewSlots = {}) {
  const thread = useViewSelector((view) => view.thread);
  if (!thread) {
    return (
      <EmptyState title="Pick a thread">
        Choose a thread on the left to watch its runs live, paste a thread id to watch it, or create a new
        thread.
      </EmptyState>
    );
  }
  return (
    <ThreadRuns
      key={thread}
      threadId={thread}
      renderThreadActions={renderThreadActions}
      renderRowActions={renderRowActions}
      renderViewActions={renderViewActions}
    />
  );
}

function ThreadRuns({
  threadId,
  renderThreadActions,
  renderRowActions,
  renderViewActions,
}: { threadId: string } & RunsViewSlots) {
  const [view, navigate] = useViewState();
  const queryClient = useQueryClient();
  const runsWindow = useQuery(runQueries.window(threadId));
  const assistants = useQuery({ ...assistantQueries.list(), select: (list) => list.data });
  const [columnVisibility, setColumnVisibility] = useColumnVisibility();
  const loadMore = useMutation({ mutationFn: () => loadMoreRuns(queryClient, threadId) });

  const runs = runsWindow.data?.runs ?? NO_RUNS;
  const counts = useMemo(() => countByStatus(runs), [runs]);
  const assistantNames = useMemo(
    () =>
      new Map(
        (assistants.data ?? []).flatMap((assistant) =>
          assistant.name ? [[assistant.id, assistant.name] as const] : [],
        ),
      ),
    [assistants.data],
  );
  const assistantName = useCallback(
    (assistantId: string) => assistantNames.get(assistantId) ?? null,
    [assistantNames],
  );
  const searchText = useMemo(() => createSearchText(assistantName), [assistantName]);
  const visibleRuns = useMemo(
    () => filterRuns(runs, view.statuses, view.search, searchText),
    [runs, view.statuses, view.search, searchText],
  );
  // Runs created after the first answer arrived while the person watched: they get a brief highlight. Taken when that
  // answer is in, so the backend's clock (an advanced emulator clock) is known by then.
  const [arrivalsAfter, setArrivalsAfter] = useState<number | null>(null);
  if (arrivalsAfter === null && runsWindow.data) setArrivalsAfter(Math.floor(backendNow() / 1000));

  const onOpen = useCallback(
    (runId: string, options?: { replace?: boolean }) => navigate({ run: runId }, options),
    [navigate],
  );
  const onClose = useCallback(() => navigate({ run: null }), [navigate]);
  const { mutate: requestMore, isPending: loadingMore } = loadMore;
  const onLoadMore = useCallback(() => requestMore(), [requestMore]);

  const active = counts.queued + counts.in_progress + counts.requires_action + counts.cancelling;

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="flex items-center gap-3 border-b border-line bg-surface px-3 py-2">
        <h1 className="flex min-w-0 items-center gap-1 text-sm font-semibold">
          <span className="truncate font-mono">{threadId}</span>
          <CopyButton value={threadId} label="Copy thread id" />
        </h1>
        {runsWindow.data && (
          <span className="text-xs text-muted">
            {active > 0 ? `${active} active` : 'No active run'}
            {counts.requires_action > 0 && ` · ${counts.requires_action} waiting for tool outputs`}
          </span>
        )}
        <div className="ml-auto flex items-center gap-2">
          {renderViewActions?.(threadId, visibleRuns, view.sort, columnVisibility)}
          {renderThreadActions?.(threadId)}
        </div>
      </div>
      {runsWindow.isRefetchError && runsWindow.data && (
        <StaleBanner
          what="runs"
          updatedAt={runsWindow.dataUpdatedAt}
          error={runsWindow.error}
          onRetry={() => runsWindow.refetch()}
        />
      )}
      {loadMore.error && (
        <ErrorState title="Cannot load older runs" error={loadMore.error} onRetry={() => loadMore.mutate()} />
      )}
      {runsWindow.isPending ? (
        <SkeletonRows rows={10} label="Loading runs" />
      ) : runsWindow.isError && !runsWindow.data ? (
        <ErrorState
          title="Cannot load the runs of this thread"
          error={runsWindow.error}
          onRetry={() => runsWindow.refetch()}
        />
      ) : (
        <>
          <RunsToolbar
            counts={counts}
            statuses={view.statuses}
            onStatusesChange={(statuses) => navigate({ statuses }, { replace: true })}
            search={view.search}
            onSearchChange={(search) => navigate({ search }, { replace: true })}
            columnVisibility={columnVisibility}
            onColumnVisibilityChange={setColumnVisibility}
          />
          {runs.length === 0 ? (
            <EmptyState title="No runs in this thread yet">
              Start a run with the SDK (<code className="font-mono">client.beta.threads.runs.create</code>)
              against this server; it appears here as soon as it is queued.
            </EmptyState>
          ) : (
            <>
              {visibleRuns.length === 0 && (
                <p role="status" className="px-3 py-2 text-xs text-muted">
                  No loaded run matches the filter.
                </p>
              )}
              <AssistantNamesContext value={assistantNames}>
                <RunsTable
                  runs={visibleRuns}
                  filterKey={`${view.statuses.join(',')}|${view.search}`}
                  sort={view.sort}
                  onSortChange={(sort) => navigate({ sort }, { replace: true })}
                  columnVisibility={columnVisibility}
                  selectedRunId={view.run}
                  onOpen={onOpen}
                  onClose={onClose}
                  hasMore={runsWindow.data?.hasMore ?? false}
                  loadingMore={loadingMore}
                  onLoadMore={onLoadMore}
                  arrivalsAfter={arrivalsAfter ?? Number.POSITIVE_INFINITY}
                  totalLoaded={runs.length}
                  renderRowActions={renderRowActions}
                />
              </AssistantNamesContext>
            </>
          )}
        </>
      )}
    </div>
  );
}
