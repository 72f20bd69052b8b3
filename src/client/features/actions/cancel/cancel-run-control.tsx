import { lazy, Suspense, useEffect, useId, useRef, useState } from 'react';
import type { Run } from '../../../../shared/openai-types';
import { Button } from '../../../ui/button';
import { Dialog } from '../../../ui/dialog';
import { statusPhrase } from '../../../lib/run-vocabulary';
import { useDialogOpener } from '../shared/use-dialog-opener';
import { cancelUnavailableReason } from './cancel-availability';
import { useCancelRun } from '../../../api/use-cancel-run';

// The dialog's contents load when a cancel dialog first opens, outside the initial bundle.
const CancelDialogBody = lazy(() => import('./cancel-dialog-body'));

/**
 * Cancel with a confirmation. In a row it appears only while the run can be cancelled (in the runs grid it is not a
 * Tab stop: the grid is one, and the run's panel has the same control); in the detail panel's action bar it is there
 * while the run is active, and says why it cannot be used while a cancel is under way. An ended run shows none: when
 * the control leaves with focus on it, focus goes to the panel's heading.
 */
export function CancelRunControl({ run, placement }: { run: Run; placement: 'grid' | 'row' | 'panel' }) {
  const dialog = useDialogOpener('[role="row"]');
  const cancel = useCancelRun();
  const [explain, setExplain] = useState(false);
  const reasonId = useId();
  const reason = cancelUnavailableReason(run);

  function close() {
    dialog.hide();
    cancel.reset();
  }

  const ended = reason !== null && run.status !== 'cancelling';
  // The run ended while this panel showed it (not on opening an ended run): if the button took the focus with it,
  // the focus goes to the panel's heading.
  const wasEnded = useRef(ended);
  useEffect(() => {
    const justEnded = ended && !wasEnded.current;
    wasEnded.current = ended;
    if (placement === 'panel' && justEnded && document.activeElement === document.body) {
      document.querySelector<HTMLElement>('[data-focus-target="run-panel"]')?.focus();
    }
  }, [placement, ended]);

  if ((placement !== 'panel' || ended) && reason && !dialog.open) return null;

  const trigger =
    placement !== 'panel' ? (
      <Button
        size="sm"
        variant="danger"
        aria-label={`Cancel run ${run.id}`}
        tabIndex={placement === 'grid' ? -1 : undefined}
        onClick={dialog.show}
      >
        Cancel
      </Button>
    ) : (
      <Button
        size="sm"
        variant="danger"
        aria-disabled={reason ? true : undefined}
        aria-describedby={reason ? reasonId : undefined}
        title={reason ?? 'Cancel this run'}
        className={reason ? 'cursor-not-allowed opacity-50 hover:bg-surface' : undefined}
        onClick={() => (reason ? setExplain((shown) => !shown) : dialog.show())}
      >
        Cancel run
      </Button>
    );

  return (
    // Clicks and keys inside must not reach the row, which opens the run on click and moves on j/k/Enter/Escape.
    <span
      className="relative inline-flex items-center"
      onClick={(event) => event.stopPropagation()}
      onKeyDown={(event) => event.stopPropagation()}
    >
      {trigger}
      {placement === 'panel' && reason && (
        <span
          id={reasonId}
          role="status"
          className={
            explain
              ? 'absolute top-full right-0 z-30 mt-1 w-64 rounded-md border border-line bg-surface p-2 text-xs text-muted shadow-lg'
              : 'sr-only'
          }
        >
          {reason}
        </span>
      )}
      <Dialog open={dialog.open} onClose={close} title="Cancel this run?" description={<RunLine run={run} />}>
        <Suspense fallback={<p className="py-2 text-muted">Loading…</p>}>
          <CancelDialogBody run={run} cancel={cancel} onClose={close} />
        </Suspense>
      </Dialog>
    </span>
  );
}

function RunLine({ run }: { run: Run }) {
  return (
    <span>
      <span className="font-mono text-xs text-fg">{run.id}</span> {statusPhrase(run.status)}.
    </span>
  );
}
