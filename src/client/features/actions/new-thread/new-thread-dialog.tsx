import type { Thread } from '../../../../shared/openai-types';
import { Dialog } from '../../../ui/dialog';
import NewThreadForm from './new-thread-form';

/** The "New thread" dialog, open while it is mounted (loaded with its form when first opened). */
export default function NewThreadDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (thread: Thread) => void;
}) {
  return (
    <Dialog
      open
      onClose={onClose}
      title="New thread"
      description="A thread holds the conversation that runs work on. Its metadata is its label in the lists."
    >
      <NewThreadForm
        onCancel={onClose}
        onCreated={(thread) => {
          onClose();
          onCreated(thread);
        }}
      />
    </Dialog>
  );
}
