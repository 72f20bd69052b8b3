import type { Run, Thread } from '../../../shared/openai-types';
import { CancelRunControl } from './cancel/cancel-run-control';
import { MetadataEditor } from './metadata/metadata-editor';
import { NewThreadDialogButton } from './new-thread/new-thread-dialog-button';
import { StartRunButton } from './start-run/start-run-button';
import { ToolOutputsSlot } from './tool-outputs/tool-outputs-slot';

/**
 * The actions, as render props for the places the app mounts them. Module-level functions, so memoized rows and
 * panels do not re-render for a new callback. Keyed by run: local state (a dialog, an edit) never carries over when
 * the panel moves to another run.
 */
export const runDetailActions = {
  renderHeaderActions: (run: Run) => <CancelRunControl key={run.id} run={run} placement="panel" />,
  renderRequiredAction: (run: Run) => <ToolOutputsSlot key={run.id} run={run} />,
  renderMetadata: (run: Run) => <MetadataEditor key={run.id} run={run} />,
};

export const renderRunRowActions = (run: Run) => <CancelRunControl key={run.id} run={run} placement="row" />;

export const renderThreadActions = (threadId: string) => (
  <StartRunButton key={threadId} threadId={threadId} />
);

export const renderNewThread = (onCreated: (thread: Thread) => void) => (
  <NewThreadDialogButton onCreated={onCreated} />
);
