import { lazy, Suspense } from 'react';
import type { Thread } from '../../../../shared/openai-types';
import { Button } from '../../../ui/button';
import { Dialog } from '../../../ui/dialog';
import { useDialogOpener } from '../shared/use-dialog-opener';

// The form (metadata pairs and their checks) loads when the dialog first opens, outside the initial bundle.
const NewThreadForm = lazy(() => import('./new-thread-form'));

/**
 * "New thread": creates a thread with its label (metadata, e.g. `customer: acme`, shown wherever the thread is named)
 * and optionally a first user message, and hands it back to be selected.
 */
export function NewThreadDialogButton({ onCreated }: { onCreated: (thread: Thread) => void }) {
  const dialog = useDialogOpener();
  return (
    <>
      <Button variant="primary" size="sm" onClick={dialog.show}>
        + New thread
      </Button>
      <Dialog
        open={dialog.open}
        onClose={dialog.hide}
        title="New thread"
        description="A thread holds the conversation that runs work on. Its metadata is its label in the lists."
      >
        <Suspense fallback={<p className="py-4 text-center text-muted">Loading the form…</p>}>
          <NewThreadForm
            onCancel={dialog.hide}
            onCreated={(thread) => {
              dialog.hide();
              onCreated(thread);
            }}
          />
        </Suspense>
      </Dialog>
    </>
  );
}
