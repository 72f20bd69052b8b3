import { lazy, Suspense } from 'react';
import type { Thread } from '../../../../shared/openai-types';
import { Button } from '../../../ui/button';
import { useDialogOpener } from '../shared/use-dialog-opener';

// The dialog and its form (metadata pairs and their checks) load when it first opens, outside the initial bundle.
const NewThreadDialog = lazy(() => import('./new-thread-dialog'));

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
      {dialog.open && (
        <Suspense fallback={null}>
          <NewThreadDialog onClose={dialog.hide} onCreated={onCreated} />
        </Suspense>
      )}
    </>
  );
}
