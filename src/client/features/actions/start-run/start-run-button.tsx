import { lazy, Suspense, useId } from 'react';
import { useNavigate } from '../../../hooks/use-view-state';
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
  const navigate = useNavigate();
  const lockId = useId();
  return (
    <span className="flex flex-wrap items-center justify-end gap-2">
      {lock && (
        <span className="text-xs text-status-warning" id={lockId}>
          Locked by{' '}
          <button
            type="button"
            className="font-mono underline-offset-2 hover:underline"
            title="Open this run: a thread runs one run at a time, so a new run can start once it ends"
            onClick={() => navigate({ run: lock.id })}
          >
            {lock.id}
          </button>{' '}
          until it ends
        </span>
      )}
      <Button
        size="sm"
        variant={lock ? 'secondary' : 'primary'}
        aria-describedby={lock ? lockId : undefined}
        onClick={dialog.show}
      >
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
