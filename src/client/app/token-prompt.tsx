import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { accessToken } from '../api/access-token';
import { useAccessToken } from '../hooks/use-access-token';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';

/** Shown when the server answers 401 runboard_token_required; the token lives in sessionStorage only. */
export function TokenPrompt() {
  const { prompt, token } = useAccessToken();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState('');

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!draft.trim()) return;
    accessToken.save(draft);
    setDraft('');
    void queryClient.resetQueries();
  }

  return (
    <Dialog
      open={prompt}
      onClose={() => {}}
      dismissible={false}
      title="Access token required"
      description={
        token
          ? 'The server refused the stored token. Enter the value of RUNBOARD_TOKEN.'
          : 'This Runboard server is protected. Enter the value of RUNBOARD_TOKEN; it is kept for this tab only.'
      }
    >
      <form onSubmit={submit} className="flex flex-col gap-3">
        <label className="flex flex-col gap-1">
          <span className="text-xs font-medium text-muted">Access token</span>
          <input
            type="password"
            autoComplete="off"
            autoFocus
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            className="h-8 rounded-md border border-line-strong bg-surface px-2 font-mono"
          />
        </label>
        <div className="flex justify-end">
          <Button type="submit" variant="primary" disabled={!draft.trim()}>
            Unlock
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
