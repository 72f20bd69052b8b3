import { Suspense } from 'react';
import { lazyWithPreload } from '../../lib/lazy-with-preload';
import type { Run, Thread } from '../../../shared/openai-types';
import { CancelRunControl } from './cancel/cancel-run-control';
import { NewThreadDialogButton } from './new-thread/new-thread-dialog-button';
import { StartRunButton } from './start-run/start-run-button';

// Both show only inside the run detail panel (itself loaded on demand), so they stay out of the initial bundle.
const MetadataEditor = lazyWithPreload(() =>
  import('./metadata/metadata-editor').then((module) => ({ default: module.MetadataEditor })),
);
const ToolOutputsSlot = lazyWithPreload(() =>
  import('./tool-outputs/tool-outputs-slot').then((module) => ({ default: module.ToolOutputsSlot })),
);

/** The code of the actions shown in the run detail panel, for preloading before a run is first opened. */
export const runDetailActionsCode = [MetadataEditor.preload, ToolOutputsSlot.preload];

/**
 * The actions, as render props for the places the app mounts them. Module-level functions, so memoized rows and
 * panels do not re-render for a new callback. Keyed by run: local state (a dialog, an edit) never carries over when
 * the panel moves to another run.
 */
export const runDetailActions = {
  renderHeaderActions: (run: Run) => <CancelRunControl key={run.id} run={run} placement="panel" />,
  renderRequiredAction: (run: Run) => (
    <Suspense key={run.id} fallback={null}>
      <ToolOutputsSlot run={run} />
    </Suspense>
  ),
  renderMetadata: (run: Run) => (
    <Suspense key={run.id} fallback={null}>
      <MetadataEditor run={run} />
    </Suspense>
  ),
};

/** In the runs grid's actions column (not a Tab stop: the grid is one). */
export const renderRunRowActions = (run: Run) => <CancelRunControl key={run.id} run={run} placement="grid" />;

/** In a list of runs outside the grid (the active-runs triage): a Tab stop like any button. */
export const renderRunCancel = (run: Run) => <CancelRunControl key={run.id} run={run} placement="row" />;

export const renderThreadActions = (threadId: string) => (
  <StartRunButton key={threadId} threadId={threadId} />
);

export const renderNewThread = (onCreated: (thread: Thread) => void) => (
  <NewThreadDialogButton onCreated={onCreated} />
);
