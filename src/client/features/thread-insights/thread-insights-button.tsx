import { lazy, Suspense, useState } from 'react';
import { Button } from '../../ui/button';
import { Dialog } from '../../ui/dialog';

// Opened on demand, so the charts are not part of the initial bundle.
const ThreadInsightsContent = lazy(() => import('./thread-insights-content'));

/** The thread header's "Insights" button and its dialog: status mix and tokens of all its runs, and a timeline. */
export function ThreadInsightsButton({ threadId }: { threadId: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="sm" variant="ghost" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        Insights
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        size="lg"
        title="Thread insights"
        description={
          <>
            Every run of <span className="font-mono">{threadId}</span>: how they ended, the tokens they used,
            and when they ran.
          </>
        }
      >
        <Suspense fallback={<p className="py-6 text-center text-muted">Loading insights…</p>}>
          <ThreadInsightsContent threadId={threadId} />
        </Suspense>
      </Dialog>
    </>
  );
}
