import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Thread } from '../../../shared/openai-types';
import { createThread, threadKeys } from '../../api/thread-queries';
import { Button } from '../../ui/button';

/** Creates an empty thread in one click and hands it back to be watched and selected. */
export function NewThreadButton({ onCreated }: { onCreated: (thread: Thread) => void }) {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => createThread(),
    onSuccess: (thread) => {
      queryClient.setQueryData(threadKeys.detail(thread.id), thread);
      void queryClient.invalidateQueries({ queryKey: threadKeys.summaries() });
      onCreated(thread);
    },
  });
  return (
    <div className="flex flex-col gap-1">
      <Button variant="primary" size="sm" onClick={() => mutation.mutate()} disabled={mutation.isPending}>
        {mutation.isPending ? 'Creating…' : '+ New thread'}
      </Button>
      {mutation.error && (
        <p role="alert" className="text-xs text-status-danger">
          {mutation.error.message}
        </p>
      )}
    </div>
  );
}
