import { useNavigate } from '../../hooks/use-view-state';
import { EMPTY_VIEW } from '../../lib/view-state';
import { Button } from '../../ui/button';

/**
 * What a link to a thread that does not exist shows: that it does not exist, and the way back. Nothing here offers to
 * start a run or export: there is no thread to act on. Loaded when needed (a 404 is rare).
 */
export default function ThreadNotFound({ threadId }: { threadId: string }) {
  const navigate = useNavigate();
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="border-b border-line bg-surface px-3 py-2">
        <h1 className="truncate font-mono text-sm">{threadId}</h1>
      </div>
      <div role="alert" className="flex flex-col items-center gap-2 px-6 py-10 text-center">
        <p className="font-medium">This thread does not exist</p>
        <p className="max-w-md text-muted">
          The server has no thread <span className="font-mono break-all">{threadId}</span>: it was deleted, or
          the link or id is mistyped.
        </p>
        <Button size="sm" className="mt-1" onClick={() => navigate(EMPTY_VIEW)}>
          Go to all threads
        </Button>
      </div>
    </div>
  );
}
