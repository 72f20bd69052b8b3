import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { CreateThreadRequest, Thread } from '../../../../shared/openai-types';
import { createThread, threadKeys } from '../../../api/thread-queries';
import { Button } from '../../../ui/button';
import { fieldClass, FormAlert, FormField } from '../../../ui/form-field';
import { MetadataPairsEditor } from '../metadata/metadata-pairs-editor';
import type { MetadataRow } from '../metadata/metadata-pairs';
import { metadataFromRows, newRow, validateMetadataRows } from '../metadata/metadata-pairs';

/** The new thread form: its label as metadata pairs (OpenAI's limits checked first) and an optional first message. */
export default function NewThreadForm({
  onCancel,
  onCreated,
}: {
  onCancel: () => void;
  onCreated: (thread: Thread) => void;
}) {
  const client = useQueryClient();
  const [message, setMessage] = useState('');
  const [rows, setRows] = useState<MetadataRow[]>(() => [newRow('name', '')]);
  const [attempted, setAttempted] = useState(false);
  const problems = validateMetadataRows(rows);
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
        setAttempted(true);
        if (!problems.valid) return;
        const metadata = metadataFromRows(rows);
        create.mutate({
          ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
          ...(message.trim() ? { messages: [{ role: 'user', content: message }] } : {}),
        });
      }}
    >
      <fieldset className="flex flex-col gap-1">
        <legend className="mb-1 text-xs font-medium">Label (metadata, optional)</legend>
        <MetadataPairsEditor
          rows={rows}
          onChange={setRows}
          problems={attempted ? problems : { rows: {}, form: null, valid: true }}
        />
      </fieldset>
      <FormField label="First message (optional)">
        {({ inputId }) => (
          <textarea
            id={inputId}
            rows={3}
            value={message}
            onChange={(event) => setMessage(event.target.value)}
            placeholder="A user message to start the conversation"
            className={`resize-y py-1.5 ${fieldClass}`}
          />
        )}
      </FormField>
      {create.error && <FormAlert>The thread was not created: {create.error.message}</FormAlert>}
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
