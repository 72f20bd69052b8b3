import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { CreateThreadRequest, Thread } from '../../../../shared/openai-types';
import { createThread, threadKeys } from '../../../api/thread-queries';
import { Button } from '../../../ui/button';
import { Dialog } from '../../../ui/dialog';
import { useDialogOpener } from '../shared/use-dialog-opener';

/** "New thread": creates a thread, optionally with a first user message, and hands it back to be selected. */
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
        description="A thread holds the conversation that runs work on."
      >
        <NewThreadForm
          onCancel={dialog.hide}
          onCreated={(thread) => {
            dialog.hide();
            onCreated(thread);
          }}
        />
      </Dialog>
    </>
  );
}

function NewThreadForm({
  onCancel,
  onCreated,
}: {
  onCancel: () => void;
  onCreated: (thread: Thread) => void;
}) {
  const client = useQueryClient();
  const [message, setMessage] = useState('');
  const messageId = useId();
  const create = useMutation({
    mutationFn: (request: CreateThreadRequest) => createThread(request),
    onSuccess: (thread) => {
      client.setQueryData(threadKeys.detail(thread.id), thread);
      void client.invalidateQueries({ queryKey: threadKeys.summaries() });
      onCreated(thread);
    },
  });

  return (
    <form
      aria-label="New thread"
      className="flex flex-col gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        if (create.isPending) return;
        create.mutate(message.trim() ? { messages: [{ role: 'user', content: message }] } : {});
      }}
    >
      <div className="flex flex-col gap-1">
        <label htmlFor={messageId} className="text-xs font-medium">
          First message (optional)
        </label>
        <textarea
          id={messageId}
          rows={4}
          autoFocus
          value={message}
          onChange={(event) => setMessage(event.target.value)}
          placeholder="A user message to start the conversation"
          className="resize-y rounded-md border border-line-strong bg-surface px-2 py-1.5 text-xs"
        />
      </div>
      {create.error && (
        <p
          role="alert"
          className="rounded-md border border-status-danger/30 bg-status-danger-soft p-2 text-status-danger"
        >
          The thread was not created: {create.error.message}
        </p>
      )}
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel} disabled={create.isPending}>
          Close
        </Button>
        <Button type="submit" variant="primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create thread'}
        </Button>
      </div>
    </form>
  );
}
