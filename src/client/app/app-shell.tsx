import { lazy, Suspense, useCallback, useState } from 'react';
import { lazyWithPreload } from '../lib/lazy-with-preload';
import { usePreloadWhenIdle } from '../hooks/use-preload-when-idle';
import { useMediaQuery } from '../hooks/use-media-query';
import { cx } from '../ui/cx';
import { useViewSelector } from '../hooks/use-view-state';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { ThreadsSidebar } from '../features/threads/threads-sidebar';
import { RunsView } from './views/runs-view';
import { preloadRunDetail, RunDetailPanel } from '../features/run-detail/run-detail-panel';
import {
  renderNewThread,
  renderRunCancel,
  renderRunRowActions,
  renderThreadActions,
  runDetailActions,
  runDetailActionsCode,
} from '../features/actions/action-slots';
import { NeedsInputInbox } from '../features/needs-input-inbox/needs-input-inbox';
import { StuckRunsTriage } from '../features/stuck-runs/stuck-runs-triage';
import { useChangeFeed } from '../api/change-feed/use-change-feed';
import { InsightsButton } from '../features/thread-insights/thread-insights-button';
import type { Run } from '../../shared/openai-types';
import type { ViewActionsInput } from '../features/runs-table/use-view-runs';
import { EmulatorOnly } from './emulator-only';
import { ConnectionIndicator } from './connection-indicator';
import { PageLinks } from './page-links';
import { ThemeSwitch } from './theme-switch';
import { TimeFormatSwitch } from './time-format-switch';
import { useShortcuts } from './use-shortcuts';

// Shown only inside the (lazy) run detail panel, so they load with it rather than with the first screen.
const RunStepsSection = lazyWithPreload(() =>
  import('../features/run-steps/run-steps-section').then((module) => ({ default: module.RunStepsSection })),
);
const RunReplySection = lazyWithPreload(() =>
  import('../features/run-steps/run-reply-section').then((module) => ({ default: module.RunReplySection })),
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

// The files page loads when first shown.
const FilesView = lazy(() => import('./views/files-view'));

// The list of shortcuts loads when first asked for (`?`).
const ShortcutsHelp = lazy(() => import('./shortcuts-help'));

// The export buttons follow the first screen by a moment (initial bundle budget); preloaded when idle too.
const ExportViewButtons = lazyWithPreload(() =>
  import('../features/export/export-view-buttons').then((module) => ({ default: module.ExportViewButtons })),
);

// Opening a run should not wait for the network: the panel's code is fetched once the first screen is idle.
const RUN_DETAIL_CODE = [
  preloadRunDetail,
  ...runDetailActionsCode,
  RunStepsSection.preload,
  RunExecutionSection.preload,
  RunReplySection.preload,
  RunAuditSection.preload,
  RunCurlSection.preload,
  ExportViewButtons.preload,
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

const renderRunResult = (run: Run) => (
  <Suspense fallback={null}>
    <RunReplySection key={`reply-${run.id}`} run={run} />
  </Suspense>
);

const renderThreadHeaderActions = renderThreadActions;

// Insights cover the view's scope (a thread, or every thread on the home view); export the view's query.
const renderViewActions = ({ query, total, coverage, columnVisibility }: ViewActionsInput) => (
  <>
    <InsightsButton threadId={query.threadId ?? null} />
    <Suspense fallback={null}>
      <ExportViewButtons
        query={query}
        total={total}
        coverage={coverage}
        columnVisibility={columnVisibility}
      />
    </Suspense>
  </>
);

/** Below this width the threads are a drawer (a header button opens it); below 768 px the run panel is a sheet. */
// Only a phone shows it: loaded there, outside the initial bundle.
const HeaderMoreMenu = lazy(() =>
  import('./header-more-menu').then((module) => ({ default: module.HeaderMoreMenu })),
);
// It waits for /api/config anyway: loaded beside that request, outside the initial bundle.
const BackendBadge = lazy(() =>
  import('./backend-badge').then((module) => ({ default: module.BackendBadge })),
);

const WIDE = '(min-width: 1280px)';
const PHONE = '(max-width: 767px)';

/**
 * Header, then threads | runs | run detail. From 1280 px the threads are a column; below, a drawer. From 768 px the
 * run panel sits beside the table; below, it is a full-screen sheet over it.
 */
export function AppShell() {
  // One stream of changes for the whole dashboard: it keeps every query current (they poll only while it is down).
  useChangeFeed();
  usePreloadWhenIdle(RUN_DETAIL_CODE);
  const wide = useMediaQuery(WIDE);
  const phone = useMediaQuery(PHONE);
  // The drawer stays open only on the thread it was opened from: picking a thread closes it.
  const [drawerOpenedOn, setDrawerOpenedOn] = useState<{ thread: string | null } | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const openHelp = useCallback(() => setHelpOpen(true), []);
  useShortcuts({ onHelp: openHelp });
  const thread = useViewSelector((view) => view.thread);
  const filesPage = useViewSelector((view) => view.page === 'files');
  const runOpen = useViewSelector((view) => view.thread !== null && view.run !== null);
  const threadsOpen = !wide && drawerOpenedOn !== null && drawerOpenedOn.thread === thread;
  // On a phone the open run covers the page: what is behind it is out of reach until it closes.
  const behindSheet = phone && runOpen;

  return (
    <div className="flex h-full flex-col">
      <header
        inert={behindSheet}
        className={cx(
          'flex shrink-0 items-center gap-x-3 gap-y-1.5 border-b border-line bg-surface px-3 py-1.5 lg:px-4',
          // A phone keeps one row: the secondary controls are behind "More".
          phone ? 'flex-nowrap gap-x-1.5 px-2' : 'flex-wrap',
        )}
      >
        <div className="flex min-w-0 shrink-0 items-center gap-2">
          {!wide && (
            <Button
              size="sm"
              aria-expanded={threadsOpen}
              aria-haspopup="dialog"
              onClick={() => setDrawerOpenedOn({ thread })}
            >
              <span aria-hidden="true">☰</span> <span className={cx(phone && 'sr-only')}>Threads</span>
            </Button>
          )}
          <a href="/" className="flex items-center gap-2 font-semibold tracking-tight">
            <span
              aria-hidden="true"
              className="grid size-5 place-items-center rounded bg-accent text-[11px] text-accent-fg"
            >
              R
            </span>
            <span className={cx(phone && 'sr-only')}>Runboard</span>
          </a>
          {!phone && <PageLinks />}
          {!phone && (
            <Suspense fallback={null}>
              <BackendBadge />
            </Suspense>
          )}
        </div>
        <div className={cx('ml-auto flex items-center justify-end gap-2', phone ? 'gap-1' : 'flex-wrap')}>
          <NeedsInputInbox renderAnswer={runDetailActions.renderRequiredAction} />
          <StuckRunsTriage renderCancel={renderRunCancel} />
          <ConnectionIndicator compact={phone} />
          {phone ? (
            <Suspense fallback={null}>
              <HeaderMoreMenu>
                <PageLinks />
                <BackendBadge />
                <TimeFormatSwitch />
                <ThemeSwitch />
                <Button size="sm" variant="ghost" aria-keyshortcuts="?" onClick={openHelp}>
                  Keyboard shortcuts
                </Button>
              </HeaderMoreMenu>
            </Suspense>
          ) : (
            <>
              <TimeFormatSwitch />
              <ThemeSwitch />
              <Button
                size="sm"
                variant="ghost"
                aria-keyshortcuts="?"
                title="Keyboard shortcuts (?)"
                onClick={openHelp}
              >
                <span aria-hidden="true">?</span>
                <span className="sr-only">Keyboard shortcuts</span>
              </Button>
            </>
          )}
        </div>
      </header>
      <div className="relative flex min-h-0 flex-1">
        {wide ? (
          <nav aria-label="Threads" className="flex w-60 shrink-0 flex-col border-r border-line bg-surface">
            <ThreadsSidebar renderNewThread={renderNewThread} />
          </nav>
        ) : (
          <Dialog open={threadsOpen} onClose={() => setDrawerOpenedOn(null)} title="Threads" placement="left">
            <nav aria-label="Threads" className="flex min-h-0 flex-1 flex-col">
              <ThreadsSidebar renderNewThread={renderNewThread} />
            </nav>
          </Dialog>
        )}
        <main inert={behindSheet} className="flex min-w-0 flex-1 flex-col">
          {filesPage ? (
            <Suspense fallback={null}>
              <FilesView />
            </Suspense>
          ) : (
            <RunsView
              renderThreadActions={renderThreadHeaderActions}
              renderRowActions={renderRunRowActions}
              renderViewActions={renderViewActions}
            />
          )}
        </main>
        <RunDetailAside />
      </div>
      {helpOpen && (
        <Suspense fallback={null}>
          <ShortcutsHelp open onClose={() => setHelpOpen(false)} />
        </Suspense>
      )}
    </div>
  );
}

/**
 * The open run, beside the table; below 768 px a full-screen sheet. Its own component: opening a run re-renders only
 * this.
 */
function RunDetailAside() {
  const thread = useViewSelector((view) => view.thread);
  const run = useViewSelector((view) => view.run);
  if (!thread || !run) return null;
  return (
    <aside
      aria-label="Run detail"
      className="fixed inset-0 z-40 flex flex-col bg-surface md:static md:z-auto md:w-[clamp(320px,42vw,440px)] md:shrink-0 md:border-l md:border-line lg:w-[clamp(360px,33vw,520px)]"
    >
      <RunDetailPanel
        threadId={thread}
        runId={run}
        {...runDetailActions}
        renderResult={renderRunResult}
        renderSections={renderRunRecordSections}
      />
    </aside>
  );
}
