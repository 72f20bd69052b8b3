import type { ReactNode } from 'react';
import type { Run } from '../../../../shared/openai-types';
import type { useCancelRun } from '../../../api/use-cancel-run';
import { statusLabel } from '../../../lib/run-vocabulary';
import { Button } from '../../../ui/button';
import { FormAlert } from '../../../ui/form-field';
import { cancelUnavailableReason } from './cancel-availability';

/** The cancel dialog's contents (loaded when a cancel dialog first opens): the confirmation, or what happened. */
export default function CancelDialogBody({
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
      <NoticeToClose onClose={onClose}>
        This run had already {outcome.run.status === 'cancelling' ? 'been asked to cancel' : 'ended'} (
        <strong>{statusLabel(outcome.run.status)}</strong>) before the cancel arrived, so there was nothing to
        cancel. The view is refreshed.
        <span className="mt-1 block text-xs text-muted">The server said: {outcome.serverMessage}</span>
      </NoticeToClose>
    );
  }

  // Seen by polling while the dialog was open: say so instead of sending a request the server would refuse.
  const endedMeanwhile = !cancel.isPending && !cancel.isError && cancelUnavailableReason(run) !== null;
  if (endedMeanwhile) {
    return (
      <NoticeToClose onClose={onClose}>
        The run is now <strong>{statusLabel(run.status)}</strong>: {cancelUnavailableReason(run)}
      </NoticeToClose>
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

/** Why there is nothing to cancel, and the dialog's only button: Close. */
function NoticeToClose({ children, onClose }: { children: ReactNode; onClose: () => void }) {
  return (
    <div className="flex flex-col gap-3">
      <p role="status" className="rounded-md border border-line bg-raised p-3">
        {children}
      </p>
      <div className="flex justify-end">
        <Button variant="primary" onClick={onClose} autoFocus>
          Close
        </Button>
      </div>
    </div>
  );
}
