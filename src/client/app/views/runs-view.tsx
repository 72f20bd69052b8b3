import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo } from 'react';
import type { ReactNode } from 'react';
import type { Run } from '../../../shared/openai-types';
import type { RunsQuery } from '../../../shared/runs-query-types';
import { assistantQueries } from '../../api/assistant-queries';
import { runQueries } from '../../api/run-queries';
import { useThreadLabel } from '../../api/use-thread-label';
import { useViewSelector } from '../../hooks/use-view-state';
import { needInputCount } from '../../lib/run-vocabulary';
import { lazyWithPreload } from '../../lib/lazy-with-preload';
import { CopyButton } from '../../ui/copy-button';
import { SkeletonRows } from '../../ui/skeleton';
import { ThreadName } from '../../ui/thread-name';
import { AssistantNamesContext } from '../../features/runs-table/assistant-names';
import { RunsListView } from '../../features/runs-table/runs-list-view';
import { useThreadMissing } from '../../features/runs-table/use-thread-missing';
import type { ColumnVisibility } from '../../features/runs-table/use-column-visibility';
import { useViewRuns, type ViewActionsInput } from '../../features/runs-table/use-view-runs';

// The home view's own code (its sections) loads when it is first shown, outside the initial bundle; the runs list
// it shares with a thread's view is in it already.
const HomeView = lazyWithPreload(() =>
  import('./home-view').then((module) => ({ default: module.HomeView })),
);

/** The view's runs: a thread's, or (no thread picked) the home view across threads. */
export interface RunsViewSlots {
  /** Controls for the thread header (e.g. start a run), composed by the app from other features. */
  renderThreadActions?: (threadId: string) => ReactNode;
  /** Controls inside each run row (e.g. cancel). Pass a stable function: rows are memoized. */
  renderRowActions?: (run: Run) => ReactNode;
  /**
   * Controls about the runs the view answers (e.g. export), given its query (scope, filter, sort), how many runs
   * match in all, whether that answer is complete, and the visible columns.
   */
  renderViewActions?: (view: ViewActionsInput) => ReactNode;
}

export function RunsView(slots: RunsViewSlots = {}) {
  const thread = useViewSelector((view) => view.thread);
  const assistants = useQuery({ ...assistantQueries.list(), select: (list) => list.data });
  const assistantNames = useMemo(
    () =>
      new Map(
        (assistants.data ?? []).flatMap((assistant) =>
          assistant.name ? [[assistant.id, assistant.name] as const] : [],
        ),
      ),
    [assistants.data],
  );
  return (
    <AssistantNamesContext value={assistantNames}>
      {thread ? (
        <ThreadView key={thread} threadId={thread} {...slots} />
      ) : (
        <Suspense fallback={<SkeletonRows rows={10} label="Loading runs" />}>
          <HomeView renderRowActions={slots.renderRowActions} renderViewActions={slots.renderViewActions} />
        </Suspense>
      )}
    </AssistantNamesContext>
  );
}

const THREAD_VIEW_HIDDEN: ColumnVisibility = { thread: false };
const ThreadNotFound = lazy(() => import('./thread-not-found'));

/** A thread's runs, or, when the server says the thread does not exist, that. */
function ThreadView(props: { threadId: string } & RunsViewSlots) {
  const missing = useThreadMissing(props.threadId);
  return missing ? (
    <Suspense fallback={null}>
      <ThreadNotFound threadId={props.threadId} />
    </Suspense>
  ) : (
    <ThreadRuns {...props} />
  );
}

function ThreadRuns({
  threadId,
  renderThreadActions,
  renderRowActions,
  renderViewActions,
}: { threadId: string } & RunsViewSlots) {
  const scope = useMemo<RunsQuery>(() => ({ threadId }), [threadId]);
  const { query, listProps, viewActionsInput } = useViewRuns(scope, THREAD_VIEW_HIDDEN);
  const counts = useQuery(runQueries.counts(query));
  const threadLabel = useThreadLabel(threadId);

  const byStatus = counts.data?.by_status;
  const active = byStatus
    ? byStatus.queued + byStatus.in_progress + byStatus.requires_action + byStatus.cancelling
    : 0;

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5 border-b border-line bg-surface px-3 py-2">
        <div className="flex min-w-[12rem] flex-1 flex-col">
          <h1 className="flex min-w-0 items-center gap-1 text-sm">
            <ThreadName threadId={threadId} label={threadLabel} />
            <CopyButton value={threadId} label="Copy thread id" />
          </h1>
          {byStatus && (
            <span className="text-xs text-muted">
              {active > 0 ? `${active} active` : 'No active run'}
              {byStatus.requires_action > 0 && ` · ${needInputCount(byStatus.requires_action)}`}
            </span>
          )}
        </div>
        <div className="ml-auto flex flex-wrap items-center justify-end gap-2">
          {renderViewActions?.(viewActionsInput)}
          {renderThreadActions?.(threadId)}
        </div>
      </div>
      <RunsListView
        {...listProps}
        renderRowActions={renderRowActions}
        errorTitle="Cannot load the runs of this thread"
        empty={{
          title: 'No runs in this thread yet',
          body: (
            <>
              Start a run with the SDK (<code className="font-mono">client.beta.threads.runs.create</code>)
              against this server; it appears here as soon as it is queued.
            </>
          ),
        }}
      />
    </div>
  );
}
