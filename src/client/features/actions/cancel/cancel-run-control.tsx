import { useId, useState } from 'react';
import type { Run } from '../../../../shared/openai-types';
import { Button } from '../../../ui/button';
import { FormAlert } from '../../../ui/form-field';
import { Dialog } from '../../../ui/dialog';
import { statusLabel, statusPhrase } from '../../../lib/run-vocabulary';
import { useDialogOpener } from '../shared/use-dialog-opener';
import { cancelUnavailableReason } from './cancel-availability';
import { useCancelRun } from '../../../api/use-cancel-run';

/**
 * Cancel with a confirmation. In a row it appears only while the run can be cancelled (in the runs grid it is not a
 * Tab stop: the grid is one, and the run's panel has the same control); in the detail panel's header it is always
 * there, and says why when it cannot be used.
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

  if (placement !== 'panel' && reason && !dialog.open) return null;

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
        <CancelDialogBody run={run} cancel={cancel} onClose={close} />
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

function CancelDialogBody({
  run,
  cancel,
  onClose,
}: {
  run: Run;
  cancel: ReturnType<typeof useCancelRun>;
  onClose: () => void;
}) {
  const outcome = cancel.data;

  if (outcome?.kind === 'requested') {
    // The dialog closes on the next render; nothing to show meanwhile.
    return null;
  }

  if (outcome?.kind === 'already-ended') {
    return (
      <div className="flex flex-col gap-3">
        <p role="status" className="rounded-md border border-line bg-raised p-3">
          This run had already {outcome.run.status === 'cancelling' ? 'been asked to cancel' : 'ended'} (
          <strong>{statusLabel(outcome.run.status)}</strong>) before the cancel arrived, so there was nothing
          to cancel. The view is refreshed.
          <span className="mt-1 block text-xs text-muted">The server said: {outcome.serverMessage}</span>
        </p>
        <div className="flex justify-end">
          <Button variant="primary" onClick={onClose} autoFocus>
            Close
          </Button>
        </div>
      </div>
    );
  }

  // Seen by polling while the dialog was open: say so instead of sending a request the server would refuse.
  const endedMeanwhile = !cancel.isPending && !cancel.isError && cancelUnavailableReason(run) !== null;
  if (endedMeanwhile) {
    return (
      <div className="flex flex-col gap-3">
        <p role="status" className="rounded-md border border-line bg-raised p-3">
          The run is now <strong>{statusLabel(run.status)}</strong>: {cancelUnavailableReason(run)}
        </p>
        <div className="flex justify-end">
          <Button variant="primary" onClick={onClose} autoFocus>
            Close
          </Button>
        </div>
      </div>
    );
  }

  return (
    <div className="flex flex-col gap-3">
      <p className="text-muted">
        The run moves to <em>cancelling</em>, then <em>cancelled</em>; its thread unlocks once it is
        cancelled. Work the run has already done (messages, tool calls) stays.
      </p>
      {cancel.error && <FormAlert>The run was not cancelled: {cancel.error.message}</FormAlert>}
      <div className="flex justify-end gap-2">
        <Button onClick={onClose} disabled={cancel.isPending}>
          Keep running
        </Button>
        <Button
          variant="danger"
          disabled={cancel.isPending}
          onClick={() => {
            if (cancel.isPending) return;
            cancel.mutate(run, { onSuccess: (result) => result.kind === 'requested' && onClose() });
          }}
        >
          {cancel.isPending ? 'Cancelling…' : cancel.isError ? 'Try again' : 'Cancel run'}
        </Button>
      </div>
    </div>
  );
}
