import { lazy, Suspense } from 'react';
import { Button } from '../../../ui/button';
import { useDialogOpener } from '../shared/use-dialog-opener';
import { useThreadLock } from './use-thread-lock';

// The dialog (assistant picker, overrides, validation) loads on first open, outside the initial bundle.
const StartRunDialog = lazy(() =>
  import('./start-run-dialog').then((module) => ({ default: module.StartRunDialog })),
);

/** The thread header's entry to start a run; it names the run that locks the thread, if any. */
export function StartRunButton({ threadId }: { threadId: string }) {
  const dialog = useDialogOpener();
  const lock = useThreadLock(threadId);
  return (
    <span className="flex items-center gap-2">
      {lock && (
        <span className="text-xs text-status-warning" title="An active run locks its thread until it ends">
          Locked by <span className="font-mono">{lock.id}</span>
        </span>
      )}
      <Button size="sm" variant="primary" onClick={dialog.show}>
        Start run
      </Button>
      {dialog.open && (
        <Suspense fallback={null}>
          <StartRunDialog threadId={threadId} open onClose={dialog.hide} />
        </Suspense>
      )}
    </span>
  );
}
