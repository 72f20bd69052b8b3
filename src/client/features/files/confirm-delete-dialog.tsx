import type { ReactNode } from 'react';
import { Button } from '../../ui/button';
import { Dialog } from '../../ui/dialog';
import { FormAlert } from '../../ui/form-field';

/**
 * "Delete X?": what deleting does, the API's refusal if it refused, Keep and Delete. Both disabled while the delete
 * is under way; the caller closes it on success.
 */
export function ConfirmDeleteDialog({
  title,
  what,
  pending,
  error,
  onConfirm,
  onClose,
  children,
}: {
  title: string;
  /** "file", "vector store": in the buttons and the refusal. */
  what: string;
  pending: boolean;
  error: Error | null;
  onConfirm: () => void;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <Dialog open onClose={onClose} title={title}>
      <div className="flex flex-col gap-3">
        <p className="text-muted">{children}</p>
        {error && (
          <FormAlert>
            The {what} was not deleted: {error.message}
          </FormAlert>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose} disabled={pending}>
            Keep {what}
          </Button>
          <Button variant="danger" disabled={pending} onClick={onConfirm}>
            {pending ? 'Deleting…' : `Delete ${what}`}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
