import { useId, useState } from 'react';
import { threadIdProblem } from '../../lib/openai-ids';
import { Button } from '../../ui/button';

/** Adds a thread id to the watch list, refusing malformed ids with the reason. */
export function WatchThreadForm({ onWatch }: { onWatch: (threadId: string) => void }) {
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const errorId = useId();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const reason = threadIdProblem(draft);
    setProblem(reason);
    if (reason) return;
    onWatch(draft.trim());
    setDraft('');
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-1" noValidate>
      <div className="flex gap-1.5">
        <input
          aria-label="Thread id to watch"
          aria-invalid={problem !== null}
          aria-describedby={problem ? errorId : undefined}
          placeholder="thread_…"
          value={draft}
          spellCheck={false}
          onChange={(event) => {
            setDraft(event.target.value);
            if (problem) setProblem(null);
          }}
          className="h-7 min-w-0 flex-1 rounded-md border border-line-strong bg-surface px-2 font-mono text-xs aria-[invalid=true]:border-status-danger"
        />
        <Button type="submit" size="sm">
          Watch
        </Button>
      </div>
      {problem && (
        <p id={errorId} role="alert" className="text-xs text-status-danger">
          {problem}
        </p>
      )}
    </form>
  );
}
