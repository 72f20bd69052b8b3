import { Suspense } from 'react';
import { lazyWithPreload } from '../lib/lazy-with-preload';
import { usePreloadWhenIdle } from '../hooks/use-preload-when-idle';
import { useViewSelector } from '../hooks/use-view-state';
import { ThreadsSidebar } from '../features/threads/threads-sidebar';
import { RunsView } from '../features/runs-table/runs-view';
import { preloadRunDetail, RunDetailPanel } from '../features/run-detail/run-detail-panel';
import {
  renderNewThread,
  renderRunRowActions,
  renderThreadActions,
  runDetailActions,
  runDetailActionsCode,
} from '../features/actions/action-slots';
import { useCancelRun } from '../features/actions/cancel/use-cancel-run';
import { NeedsInputInbox } from '../features/needs-input-inbox/needs-input-inbox';
import { StuckRunsTriage } from '../features/stuck-runs/stuck-runs-triage';
import { useChangeFeed } from '../api/change-feed/use-change-feed';
import { ExportViewButtons } from '../features/export/export-view-buttons';
import { ThreadInsightsButton } from '../features/thread-insights/thread-insights-button';
import type { Run } from '../../shared/openai-types';
import type { ViewActionsInput } from '../features/runs-table/runs-view';
import { BackendBadge, EmulatorOnly } from './backend-badge';
import { ConnectionIndicator } from './connection-indicator';

// Shown only inside the (lazy) run detail panel, so they load with it rather than with the first screen.
const RunStepsSection = lazyWithPreload(() =>
  import('../features/run-steps/run-steps-section').then((module) => ({ default: module.RunStepsSection })),
);
const RunAuditSection = lazyWithPreload(() =>
  import('../features/audit-trail/run-audit-section').then((module) => ({ default: module.RunAuditSection })),
);
const RunExecutionSection = lazyWithPreload(() =>
  import('../features/model-execution/run-execution-section').then((module) => ({
    default: module.RunExecutionSection,
  })),
);
const RunCurlSection = lazyWithPreload(() =>
  import('../features/export/run-curl-section').then((module) => ({ default: module.RunCurlSection })),
);

// Opening a run should not wait for the network: the panel's code is fetched once the first screen is idle.
const RUN_DETAIL_CODE = [
  preloadRunDetail,
  ...runDetailActionsCode,
  RunStepsSection.preload,
  RunExecutionSection.preload,
  RunAuditSection.preload,
  RunCurlSection.preload,
];

const renderRunRecordSections = (run: Run) => (
  <Suspense fallback={null}>
    <EmulatorOnly>
      <RunExecutionSection key={`execution-${run.id}`} run={run} />
    </EmulatorOnly>
    <RunStepsSection key={`steps-${run.id}`} run={run} />
    <RunAuditSection key={`audit-${run.id}`} run={run} />
    <RunCurlSection key={`curl-${run.id}`} run={run} />
  </Suspense>
);

const renderThreadHeaderActions = (threadId: string) => (
  <>
    <ThreadInsightsButton key={`insights-${threadId}`} threadId={threadId} />
    {renderThreadActions(threadId)}
  </>
);

const renderExportView = ({ query, total, coverage, columnVisibility }: ViewActionsInput) => (
  <ExportViewButtons query={query} total={total} coverage={coverage} columnVisibility={columnVisibility} />
);

/** Header, then threads | runs | run detail. The detail panel overlays the table below 1280 px. */
export function AppShell() {
  // One stream of changes for the whole dashboard: it keeps every query current (they poll only while it is down).
  useChangeFeed();
  usePreloadWhenIdle(RUN_DETAIL_CODE);
  return (
    <div className="flex h-full min-w-[1000px] flex-col">
      <header className="flex h-11 shrink-0 items-center gap-3 border-b border-line bg-surface px-4">
        <a href="/" className="flex items-center gap-2 font-semibold tracking-tight">
          <span
            aria-hidden="true"
            className="grid size-5 place-items-center rounded bg-accent text-[11px] text-accent-fg"
          >
            R
          </span>
          Runboard
        </a>
        <BackendBadge />
        <div className="ml-auto flex items-center gap-3">
          <NeedsInputInbox renderAnswer={runDetailActions.renderRequiredAction} />
          <StuckRunsTriage renderCancel={renderRunRowActions} useCancelRun={useCancelRun} />
          <ConnectionIndicator />
        </div>
      </header>
      <div className="relative flex min-h-0 flex-1">
        <nav aria-label="Threads" className="flex w-64 shrink-0 flex-col border-r border-line bg-surface">
          <ThreadsSidebar renderNewThread={renderNewThread} />
        </nav>
        <main className="flex min-w-0 flex-1 flex-col">
          <RunsView
            renderThreadActions={renderThreadHeaderActions}
            renderRowActions={renderRunRowActions}
            renderViewActions={renderExportView}
          />
        </main>
        <RunDetailAside />
      </div>
    </div>
  );
}

/** The open run, beside the table (over it below 1280 px). Its own component: opening a run re-renders only this. */
function RunDetailAside() {
  const thread = useViewSelector((view) => view.thread);
  const run = useViewSelector((view) => view.run);
  if (!thread || !run) return null;
  return (
    <aside
      aria-label="Run detail"
      className="absolute inset-y-0 right-0 z-20 flex w-[min(500px,62%)] flex-col border-l border-line bg-surface shadow-2xl xl:static xl:w-[440px] xl:shadow-none 2xl:w-[500px]"
    >
      <RunDetailPanel
        threadId={thread}
        runId={run}
        {...runDetailActions}
        renderSections={renderRunRecordSections}
      />
    </aside>
  );
}
