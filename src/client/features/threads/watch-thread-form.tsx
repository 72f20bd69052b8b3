import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../../api/api-error';
import { threadQueries } from '../../api/thread-queries';
import { threadIdProblem } from '../../lib/openai-ids';
import { Button } from '../../ui/button';
import { fieldClass, FormField } from '../../ui/form-field';

/**
 * Adds a thread to the watch list by its id (kept in this browser), after asking the server for it: a malformed id or
 * one the server does not know is refused with the reason, and nothing is saved.
 */
export function WatchThreadForm({ onWatch }: { onWatch: (threadId: string) => void }) {
  const client = useQueryClient();
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const check = useMutation({
    mutationFn: (threadId: string) => client.fetchQuery(threadQueries.detail(threadId)),
    onSuccess: (thread) => {
      onWatch(thread.id);
      setDraft('');
    },
    onError: (error, threadId) =>
      setProblem(
        error instanceof ApiError && error.status === 404
          ? `No thread ${threadId} on this server; nothing was added.`
          : `Could not check the thread: ${error.message}`,
      ),
  });

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (check.isPending) return;
    const reason = threadIdProblem(draft);
    setProblem(reason);
    if (!reason) check.mutate(draft.trim());
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Watch a thread">
      <FormField label="Watch a thread by id" error={problem ?? undefined}>
        {({ inputId, describedBy, invalid }) => (
          <div className="flex gap-1.5">
            <input
              id={inputId}
              aria-invalid={invalid}
              aria-describedby={describedBy}
              placeholder="thread_…"
              value={draft}
              spellCheck={false}
              onChange={(event) => {
                setDraft(event.target.value);
                if (problem) setProblem(null);
              }}
              className={`h-7 min-w-0 flex-1 font-mono ${fieldClass}`}
            />
            <Button type="submit" size="sm" disabled={check.isPending}>
              {check.isPending ? 'Checking…' : 'Watch'}
            </Button>
          </div>
        )}
      </FormField>
    </form>
  );
}
